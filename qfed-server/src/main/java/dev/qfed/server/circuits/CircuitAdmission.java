package dev.qfed.server.circuits;

import dev.qfed.api.CircuitSpec;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.Problem;
import dev.qfed.circuit.Circuit;
import dev.qfed.circuit.Conditional;
import dev.qfed.circuit.GateOperation;
import dev.qfed.circuit.Operation;
import dev.qfed.circuit.qasm.Diagnostic;
import dev.qfed.circuit.qasm.OpenQasm;
import dev.qfed.circuit.qasm.ParseLimits;
import dev.qfed.circuit.qasm.QasmException;
import dev.qfed.server.ApiException;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Admission of circuits: each is parsed with the OpenQASM front end, its {@code input} parameters are bound, and
 * what the scheduler needs (qubits, gates) is read off. A circuit that cannot run is refused here, with the
 * position of the error, so no agent ever leases it.
 */
public final class CircuitAdmission {
    private final ParseLimits limits;

    public CircuitAdmission(ParseLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * @param index the circuit's position in the job, used in error fields ({@code circuits[2].qasm})
     * @throws ApiException {@code qasm-*} problems with circuit, line and column; {@code invalid-circuit} for
     *                      parameters that do not match the circuit's inputs
     */
    public AdmittedCircuit admit(int index, CircuitSpec spec) {
        String where = "circuits[" + index + "]";
        Circuit circuit;
        try {
            circuit = OpenQasm.parse(spec.qasm(), where, null, limits);
        } catch (QasmException e) {
            Diagnostic d = e.diagnostic();
            ErrorCode code = switch (e.kind()) {
                case SYNTAX -> ErrorCode.QASM_SYNTAX;
                case SEMANTIC -> ErrorCode.QASM_SEMANTIC;
                case UNSUPPORTED -> ErrorCode.QASM_UNSUPPORTED;
                case LIMIT -> ErrorCode.QASM_LIMIT;
            };
            String detail = where + " line " + d.line() + ", column " + d.column() + ": " + d.message()
                    + (d.sourceLine().isBlank() ? "" : " (in: " + abbreviate(d.sourceLine().strip()) + ")");
            throw new ApiException(Problem.of(code, detail).withField(where + ".qasm")
                    .withPosition(index, Math.max(1, d.line()), Math.max(1, d.column())));
        }
        for (Map.Entry<String, Double> p : spec.parameters().entrySet()) {
            if (!Double.isFinite(p.getValue())) {
                throw ApiException.field(ErrorCode.INVALID_CIRCUIT, where + ".parameters." + p.getKey(),
                        "parameter '" + p.getKey() + "' of " + where + " must be a finite number");
            }
        }
        Circuit bound;
        try {
            bound = circuit.bind(spec.parameters());
        } catch (IllegalArgumentException e) {
            throw ApiException.field(ErrorCode.INVALID_CIRCUIT, where + ".parameters", where + ": " + e.getMessage());
        }
        Set<String> unbound = bound.unboundParameters();
        if (!unbound.isEmpty() || !bound.inputs().isEmpty()) {
            Set<String> missing = new java.util.TreeSet<>(unbound);
            bound.inputs().forEach(i -> missing.add(i.name()));
            throw ApiException.field(ErrorCode.INVALID_CIRCUIT, where + ".parameters", where
                    + " declares inputs " + missing + " without values; give each one in " + where + ".parameters");
        }
        Set<String> gates = new HashSet<>();
        collectGates(bound.operations(), gates);
        return new AdmittedCircuit(spec, bound.numQubits(), gates);
    }

    private static void collectGates(List<Operation> ops, Set<String> out) {
        for (Operation op : ops) {
            switch (op) {
                case GateOperation g -> out.add(g.gate().qasmName());
                case Conditional c -> {
                    collectGates(c.then(), out);
                    collectGates(c.otherwise(), out);
                }
                default -> { }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
