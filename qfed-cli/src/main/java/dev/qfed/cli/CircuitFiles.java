package dev.qfed.cli;

import java.util.List;

/** A command that sends circuits read from files: errors about circuit {@code i} then name its file. */
public interface CircuitFiles {
    /** The files in the order of the job's circuits. */
    List<String> circuitFiles();
}
