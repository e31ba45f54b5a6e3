package dev.qfed.circuit;

/**
 * The gate library: the built-ins of OpenQASM ({@code U}, {@code CX}, {@code gphase}) and every gate of OpenQASM 2's
 * {@code qelib1.inc} (as Qiskit ships it) and OpenQASM 3's {@code stdgates.inc}.
 *
 * <p>Each gate has one exact matrix, the one Qiskit's standard gate of that name has, which is also what
 * {@code stdgates.inc} defines, global phase included. The exceptions are {@code u2} and {@code u3}: Qiskit's are
 * U(π/2, φ, λ) and U(θ, φ, λ) exactly, while {@code stdgates.inc} adds gphase(−(φ+λ)/2); the library follows
 * Qiskit (and {@code qelib1.inc}), which matters only under {@code ctrl @}. Aliases ({@code phase} = {@code p},
 * {@code cphase} = {@code cp}, {@code CX} = {@code cx}) are resolved by the front ends, so the IR holds one constant
 * per matrix name.
 *
 * <p>Matrix convention (Qiskit's, little-endian): for a gate applied to qubit arguments {@code (a0, a1, …)}, basis
 * index {@code i} of the matrix has bit {@code k} equal to the state of {@code ak}. So {@code cx} with arguments
 * (control, target) flips bit 1 when bit 0 is set.
 */
public enum StandardGate implements Gate {
    // OpenQASM built-ins
    U("U", 1, 3),
    GPHASE("gphase", 0, 1),
    // one qubit
    ID("id", 1, 0),
    U0("u0", 1, 1),
    U1("u1", 1, 1),
    U2("u2", 1, 2),
    U3("u3", 1, 3),
    LOWER_U("u", 1, 3),
    P("p", 1, 1),
    X("x", 1, 0),
    Y("y", 1, 0),
    Z("z", 1, 0),
    H("h", 1, 0),
    S("s", 1, 0),
    SDG("sdg", 1, 0),
    T("t", 1, 0),
    TDG("tdg", 1, 0),
    SX("sx", 1, 0),
    SXDG("sxdg", 1, 0),
    RX("rx", 1, 1),
    RY("ry", 1, 1),
    RZ("rz", 1, 1),
    // two qubits
    CX("cx", 2, 0),
    CY("cy", 2, 0),
    CZ("cz", 2, 0),
    CH("ch", 2, 0),
    SWAP("swap", 2, 0),
    CRX("crx", 2, 1),
    CRY("cry", 2, 1),
    CRZ("crz", 2, 1),
    CU1("cu1", 2, 1),
    CP("cp", 2, 1),
    CU3("cu3", 2, 3),
    CSX("csx", 2, 0),
    CU("cu", 2, 4),
    RXX("rxx", 2, 1),
    RZZ("rzz", 2, 1),
    // three or more qubits
    CCX("ccx", 3, 0),
    CSWAP("cswap", 3, 0),
    RCCX("rccx", 3, 0),
    RC3X("rc3x", 4, 0),
    C3X("c3x", 4, 0),
    C3SQRTX("c3sqrtx", 4, 0),
    C4X("c4x", 5, 0);

    private final String qasmName;
    private final int numQubits;
    private final int numParams;

    StandardGate(String qasmName, int numQubits, int numParams) {
        this.qasmName = qasmName;
        this.numQubits = numQubits;
        this.numParams = numParams;
    }

    @Override
    public String qasmName() {
        return qasmName;
    }

    @Override
    public int numQubits() {
        return numQubits;
    }

    @Override
    public int numParams() {
        return numParams;
    }

    /** The gate a name denotes, aliases included; empty when the library has no such gate. */
    public static java.util.Optional<StandardGate> byName(String name) {
        return java.util.Optional.ofNullable(GateLibrary.lookup(name));
    }

    /**
     * The exact unitary for these parameter values, {@code 2^numQubits} square, in the convention above.
     *
     * @throws IllegalArgumentException when {@code params.length != numParams()}
     */
    public ComplexMatrix matrix(double... params) {
        if (params.length != numParams) {
            throw new IllegalArgumentException(
                    qasmName + " takes " + numParams + " parameter(s), got " + params.length);
        }
        return GateLibrary.matrix(this, params);
    }
}
