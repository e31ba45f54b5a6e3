package dev.qfed.circuit;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Which standard gates each OpenQASM include makes visible, and their matrices. */
public final class GateLibrary {
    private static final Map<String, StandardGate> BY_NAME = new HashMap<>();

    static {
        for (StandardGate g : StandardGate.values()) {
            BY_NAME.put(g.qasmName(), g);
        }
        BY_NAME.put("CX", StandardGate.CX);
        BY_NAME.put("phase", StandardGate.P);
        BY_NAME.put("cphase", StandardGate.CP);
    }

    private static final Set<StandardGate> QELIB1 = Collections.unmodifiableSet(EnumSet.complementOf(
            EnumSet.of(StandardGate.U, StandardGate.GPHASE)));

    private static final Set<StandardGate> STDGATES = Collections.unmodifiableSet(EnumSet.of(
            StandardGate.P, StandardGate.X, StandardGate.Y, StandardGate.Z, StandardGate.H, StandardGate.S,
            StandardGate.SDG, StandardGate.T, StandardGate.TDG, StandardGate.SX, StandardGate.RX, StandardGate.RY,
            StandardGate.RZ, StandardGate.CX, StandardGate.CY, StandardGate.CZ, StandardGate.CP, StandardGate.CRX,
            StandardGate.CRY, StandardGate.CRZ, StandardGate.CH, StandardGate.SWAP, StandardGate.CCX,
            StandardGate.CSWAP, StandardGate.CU, StandardGate.ID, StandardGate.U1, StandardGate.U2,
            StandardGate.U3));

    private GateLibrary() {
    }

    static StandardGate lookup(String name) {
        return BY_NAME.get(name);
    }

    /** Gates of Qiskit's {@code qelib1.inc} (the OpenQASM 2 built-ins {@code U} and {@code CX} are always there). */
    public static Set<StandardGate> qelib1() {
        return QELIB1;
    }

    /**
     * Gates of OpenQASM 3's {@code stdgates.inc}; {@code U} and {@code gphase} are built into the language. The
     * aliases {@code CX}, {@code phase} and {@code cphase} also come with the include.
     */
    public static Set<StandardGate> stdgates() {
        return STDGATES;
    }

    static ComplexMatrix matrix(StandardGate gate, double[] params) {
        throw new UnsupportedOperationException("matrix of " + gate.qasmName() + " not written yet");
    }
}
