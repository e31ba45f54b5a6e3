package dev.qfed.circuit.qasm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * Finds and reads included files: relative to the including file's folder, within the size and depth limits,
 * refusing cycles. Keeps the chain of files being read; {@link #open} pushes, {@link #close} pops.
 */
final class Includes {
    /** A file being read: the name its diagnostics show, the folder its includes resolve against, its real path. */
    private record Frame(String displayName, Optional<Path> directory, Optional<Path> realPath) {
    }

    private final ParseLimits limits;
    private final Deque<Frame> chain = new ArrayDeque<>();

    private Includes(ParseLimits limits, Frame root) {
        this.limits = limits;
        chain.push(root);
    }

    /** For source text given directly; {@code baseDirectory} null forbids includes. */
    static Includes forSource(String sourceName, Path baseDirectory, ParseLimits limits) {
        Optional<Path> real = Optional.empty();
        if (baseDirectory != null) {
            try {
                real = Optional.of(baseDirectory.resolve(sourceName).toRealPath());
            } catch (IOException | InvalidPathException e) {
                // the text need not exist as a file; then no include can lead back to it
            }
        }
        return new Includes(limits, new Frame(sourceName, Optional.ofNullable(baseDirectory), real));
    }

    static Includes forFile(Path file, Path realPath, ParseLimits limits) {
        return new Includes(limits, new Frame(file.toString(), Optional.ofNullable(file.toAbsolutePath().getParent()),
                Optional.of(realPath)));
    }

    SourceText open(Ast.Include inc) throws QasmException {
        Frame current = chain.peek();
        if (current.directory().isEmpty()) {
            throw inc.pos().semantic("includes are not allowed here: this source was given without a base "
                    + "directory; paste the contents of \"" + inc.path() + "\" in its place");
        }
        if (chain.size() > limits.maxIncludeDepth()) {
            throw inc.pos().limit("includes nest more than " + limits.maxIncludeDepth()
                    + " levels deep (ParseLimits.maxIncludeDepth)");
        }
        Path target;
        String display;
        try {
            target = current.directory().get().resolve(inc.path()).normalize();
            display = displayName(current.displayName(), inc.path());
        } catch (InvalidPathException e) {
            throw inc.pos().semantic("\"" + inc.path() + "\" is not a valid file path");
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (IOException e) {
            throw inc.pos().semantic("cannot find included file \"" + inc.path() + "\" (looked for " + target
                    + "); check the name, which is relative to the including file's folder");
        }
        for (Frame f : chain) {
            if (f.realPath().isPresent() && f.realPath().get().equals(real)) {
                StringBuilder cycle = new StringBuilder();
                for (Iterator<Frame> it = chain.descendingIterator(); it.hasNext(); ) {
                    cycle.append(it.next().displayName()).append(" → ");
                }
                cycle.append(display);
                throw inc.pos().semantic("include cycle: " + cycle + "; remove one of these includes");
            }
        }
        String text = read(inc, real);
        chain.push(new Frame(display, Optional.ofNullable(target.getParent()), Optional.of(real)));
        return new SourceText(display, text);
    }

    void close() {
        chain.pop();
    }

    private String read(Ast.Include inc, Path real) throws QasmException {
        try {
            long size = Files.size(real);
            if (size > limits.maxSourceBytes()) {
                throw inc.pos().limit("included file \"" + inc.path() + "\" has " + size + " bytes, more than the "
                        + "limit of " + limits.maxSourceBytes() + " (ParseLimits.maxSourceBytes)");
            }
            byte[] bytes = Files.readAllBytes(real);
            if (bytes.length > limits.maxSourceBytes()) { // it grew since
                throw inc.pos().limit("included file \"" + inc.path() + "\" has more than "
                        + limits.maxSourceBytes() + " bytes (ParseLimits.maxSourceBytes)");
            }
            return decode(bytes);
        } catch (CharacterCodingException e) {
            throw inc.pos().syntax("included file \"" + inc.path() + "\" is not valid UTF-8 text");
        } catch (NoSuchFileException e) {
            throw inc.pos().semantic("cannot find included file \"" + inc.path() + "\"");
        } catch (IOException e) {
            throw inc.pos().semantic("cannot read included file \"" + inc.path() + "\": " + e.getMessage());
        }
    }

    static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** The included file's name as seen from the root's folder: "lib/a.inc" for main.qasm's include "lib/a.inc". */
    private static String displayName(String includer, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize().toString();
        }
        return Path.of(includer).resolveSibling(p).normalize().toString();
    }
}
