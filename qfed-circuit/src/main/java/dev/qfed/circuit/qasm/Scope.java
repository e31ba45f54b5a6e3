package dev.qfed.circuit.qasm;

import dev.qfed.circuit.InputParameter;
import dev.qfed.circuit.OpaqueGate;
import dev.qfed.circuit.Register;
import dev.qfed.circuit.StandardGate;

import java.util.HashMap;
import java.util.Map;

/**
 * Names visible at a point of the program: the global scope holds registers, constants, inputs and gates; a
 * block or loop body adds constants and the loop variable; a gate body holds the gate's parameters and qubit
 * arguments and sees, of the globals, only constants and gates.
 */
final class Scope {
    private final Scope parent;
    private final boolean gateBody;
    private final Map<String, Symbol> names = new HashMap<>();

    private Scope(Scope parent, boolean gateBody) {
        this.parent = parent;
        this.gateBody = gateBody;
    }

    static Scope global() {
        return new Scope(null, false);
    }

    Scope block() {
        return new Scope(this, gateBody);
    }

    Scope gateBody() {
        return new Scope(this, true);
    }

    boolean isGlobal() {
        return parent == null;
    }

    boolean inGateBody() {
        return gateBody;
    }

    /** The nearest declaration of {@code name}, or null. */
    Symbol lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Symbol sym = s.names.get(name);
            if (sym != null) {
                return sym;
            }
        }
        return null;
    }

    /** The declaration of {@code name} in this very scope, or null. */
    Symbol own(String name) {
        return names.get(name);
    }

    void declare(String name, Symbol symbol) {
        names.put(name, symbol);
    }

    /** A declared name. {@code declared} is empty for names the language or a built-in include provides. */
    sealed interface Symbol {
        java.util.Optional<Pos> declared();

        /** "qubit register", "constant", "gate", …: how an error message names what this is. */
        String kind();
    }

    record QubitRegister(Register register, int offset, java.util.Optional<Pos> declared) implements Symbol {
        @Override
        public String kind() {
            return register.scalar() ? "qubit" : "qubit register";
        }
    }

    record BitRegister(Register register, int offset, java.util.Optional<Pos> declared) implements Symbol {
        @Override
        public String kind() {
            return register.scalar() ? "classical bit" : "classical register";
        }
    }

    /** A {@code const}, a loop variable, or (inside a gate body) a gate parameter bound to its value. */
    record Constant(Value value, String what, java.util.Optional<Pos> declared) implements Symbol {
        @Override
        public String kind() {
            return what;
        }
    }

    record Input(InputParameter parameter, java.util.Optional<Pos> declared) implements Symbol {
        @Override
        public String kind() {
            return "input";
        }
    }

    /** A qubit argument inside a gate body: the index among the gate's qubit arguments. */
    record GateQubit(int index, java.util.Optional<Pos> declared) implements Symbol {
        @Override
        public String kind() {
            return "qubit argument of the gate";
        }
    }

    /** Anything a gate call can name. */
    sealed interface GateSymbol extends Symbol {
        String name();

        int numParams();

        int numQubits();

        @Override
        default String kind() {
            return "gate";
        }
    }

    /** A gate of the standard library, visible through the language or an include ({@code origin}). */
    record LibraryGate(String name, StandardGate gate, String origin) implements GateSymbol {
        @Override
        public java.util.Optional<Pos> declared() {
            return java.util.Optional.empty();
        }

        @Override
        public int numParams() {
            return gate.numParams();
        }

        @Override
        public int numQubits() {
            return gate.numQubits();
        }
    }

    record Opaque(OpaqueGate gate, java.util.Optional<Pos> declared) implements GateSymbol {
        @Override
        public String name() {
            return gate.qasmName();
        }

        @Override
        public int numParams() {
            return gate.numParams();
        }

        @Override
        public int numQubits() {
            return gate.numQubits();
        }
    }

    record UserGate(GateDefinition definition, java.util.Optional<Pos> declared) implements GateSymbol {
        @Override
        public String name() {
            return definition.name();
        }

        @Override
        public int numParams() {
            return definition.params().size();
        }

        @Override
        public int numQubits() {
            return definition.qubitCount();
        }
    }
}
