package dev.qfed.emulator.state;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/** Touches the Vector API: loading this class fails with a {@link LinkageError} when the module is absent. */
final class VectorProbe {
    private VectorProbe() {
    }

    /** Lanes of the preferred float species. */
    static int floatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    /** Lanes of the preferred double species. */
    static int doubleLanes() {
        return DoubleVector.SPECIES_PREFERRED.length();
    }
}
