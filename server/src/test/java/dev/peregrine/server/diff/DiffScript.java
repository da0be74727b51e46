package dev.peregrine.server.diff;

import dev.peregrine.protocol.SplitArgs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed differential-test script. Format, one item per line:
 * <ul>
 *   <li>blank lines and lines starting with {@code #} are ignored;</li>
 *   <li>{@code @resp 2} / {@code @resp 3}: both connections switch protocol with HELLO (replies not compared);</li>
 *   <li>{@code @flushall}: FLUSHALL on both servers (replies compared);</li>
 *   <li>{@code @ignore-reply <command>}: run the command, require one reply of the same RESP type from each
 *       server, but do not compare contents (TIME, INFO, anything that varies);</li>
 *   <li>anything else is one command, split into arguments like redis-cli / inline requests
 *       ({@link SplitArgs}: double quotes with escapes, single quotes).</li>
 * </ul>
 * Each run gets a fresh Peregrine and a fresh connection to a flushed, shared redis-server: a script that changes
 * server-wide state there (CONFIG SET, DEBUG SET-ACTIVE-EXPIRE, ...) must restore it at its end.
 */
final class DiffScript {
    enum Kind { COMMAND, IGNORE_REPLY, RESP, FLUSHALL }

    /** One executable line. */
    static final class Step {
        final int line;
        final String text;
        final Kind kind;
        final byte[][] argv;
        final int resp;

        Step(int line, String text, Kind kind, byte[][] argv, int resp) {
            this.line = line;
            this.text = text;
            this.kind = kind;
            this.argv = argv;
            this.resp = resp;
        }
    }

    final String name;
    final List<Step> steps;

    private DiffScript(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    static DiffScript load(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException on a malformed line, naming it */
    static DiffScript parse(String name, List<String> lines) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("@")) {
                int sp = text.indexOf(' ');
                String directive = sp < 0 ? text : text.substring(0, sp);
                String rest = sp < 0 ? "" : text.substring(sp + 1).strip();
                switch (directive) {
                    case "@resp":
                        if (!rest.equals("2") && !rest.equals("3")) {
                            throw bad(name, lineNo, "@resp takes 2 or 3");
                        }
                        steps.add(new Step(lineNo, text, Kind.RESP, null, Integer.parseInt(rest)));
                        break;
                    case "@flushall":
                        steps.add(new Step(lineNo, text, Kind.FLUSHALL, new byte[][] {bytes("FLUSHALL")}, 0));
                        break;
                    case "@ignore-reply":
                        steps.add(new Step(lineNo, rest, Kind.IGNORE_REPLY, split(name, lineNo, rest), 0));
                        break;
                    default:
                        throw bad(name, lineNo, "unknown directive " + directive);
                }
                continue;
            }
            steps.add(new Step(lineNo, text, Kind.COMMAND, split(name, lineNo, text), 0));
        }
        return new DiffScript(name, steps);
    }

    private static byte[][] split(String name, int line, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        byte[][] argv = SplitArgs.split(b, 0, b.length);
        if (argv == null) {
            throw bad(name, line, "unbalanced quotes");
        }
        if (argv.length == 0) {
            throw bad(name, line, "no command");
        }
        return argv;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String name, int line, String why) {
        return new IllegalArgumentException(name + ":" + line + ": " + why);
    }
}
