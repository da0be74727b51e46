package dev.peregrine.persistence.aof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The AOF manifest of Redis 7's multi-part AOF: one line per file, {@code file <name> seq <n> type <b|h|i>}, for
 * the base file ({@code b}, at most one), history files waiting for deletion ({@code h}) and incremental files
 * ({@code i}, in increasing {@code seq}). File names are {@code <appendfilename>.<seq>.base.rdb} (or
 * {@code .base.aof} without the RDB preamble) and {@code <appendfilename>.<seq>.incr.aof}; names holding spaces
 * or control characters are written quoted, as Redis quotes them. Lines starting with {@code #} are comments.
 *
 * <p>Immutable; any thread.
 */
public final class AofManifest {

    /** The kind of a file listed in the manifest. */
    public enum Type {
        BASE('b'), HISTORY('h'), INCR('i');

        final char code;

        Type(char code) {
            this.code = code;
        }

        static Type of(String s) {
            for (Type t : values()) {
                if (s.length() == 1 && s.charAt(0) == t.code) {
                    return t;
                }
            }
            return null;
        }
    }

    /** One listed file. */
    public record Entry(String name, long seq, Type type) {
    }

    /** Longest manifest line Redis accepts, in bytes. */
    public static final int MAX_LINE = 1024;

    private final List<Entry> entries;

    public AofManifest(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** An empty manifest (no AOF yet). */
    public static AofManifest empty() {
        return new AofManifest(Collections.emptyList());
    }

    /** Every listed file, in manifest order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The base file, or null. */
    public Entry base() {
        for (Entry e : entries) {
            if (e.type == Type.BASE) {
                return e;
            }
        }
        return null;
    }

    /** The incremental files in load order. */
    public List<Entry> incrs() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type == Type.INCR) {
                out.add(e);
            }
        }
        return out;
    }

    /** The highest sequence number of incremental files, 0 when none. */
    public long lastIncrSeq() {
        long seq = 0;
        for (Entry e : incrs()) {
            seq = Math.max(seq, e.seq);
        }
        return seq;
    }

    /** A copy with one more file listed at the end. */
    public AofManifest with(Entry e) {
        List<Entry> l = new ArrayList<>(entries);
        l.add(e);
        return new AofManifest(l);
    }

    /**
     * After a rewrite: {@code newBase} becomes the base; the old base and the incremental files up to
     * {@code lastMergedIncrSeq} (whose writes the new base holds) become history.
     */
    public AofManifest rewritten(Entry newBase, long lastMergedIncrSeq) {
        List<Entry> l = new ArrayList<>();
        l.add(newBase);
        for (Entry e : entries) {
            if (e.type == Type.BASE || e.type == Type.INCR && e.seq <= lastMergedIncrSeq) {
                l.add(new Entry(e.name, e.seq, Type.HISTORY));
            } else {
                l.add(e);
            }
        }
        return new AofManifest(l);
    }

    /** A copy without the history files (once they are deleted). */
    public AofManifest withoutHistory() {
        List<Entry> l = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type != Type.HISTORY) {
                l.add(e);
            }
        }
        return new AofManifest(l);
    }

    /** The manifest text, base first, as Redis writes it. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        Entry base = base();
        if (base != null) {
            line(sb, base);
        }
        for (Entry e : entries) {
            if (e.type == Type.HISTORY) {
                line(sb, e);
            }
        }
        for (Entry e : entries) {
            if (e.type == Type.INCR) {
                line(sb, e);
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Entry e) {
        sb.append("file ").append(quoteIfNeeded(e.name)).append(" seq ").append(e.seq).append(" type ")
                .append(e.type.code).append('\n');
    }

    private static String quoteIfNeeded(String name) {
        boolean plain = !name.isEmpty();
        for (int i = 0; i < name.length() && plain; i++) {
            char ch = name.charAt(i);
            plain = ch > ' ' && ch < 127 && ch != '"' && ch != '\'' && ch != '\\';
        }
        if (plain) {
            return name;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch >= ' ' && ch < 127) {
                        sb.append((char) ch);
                    } else {
                        sb.append(String.format("\\x%02x", ch));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses a manifest.
     *
     * @throws AofFormatException with Redis's reasons: an over-long line, a line with an odd number of tokens,
     *         a missing name, seq or type, more than one base file, or an invalid manifest
     */
    public static AofManifest parse(String text) throws AofFormatException {
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        boolean haveBase = false;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE) {
                throw new AofFormatException("The AOF manifest file contains too long line");
            }
            List<String> tokens = split(line, lineNo);
            if (tokens.size() < 6 || tokens.size() % 2 != 0) {
                throw new AofFormatException("Invalid AOF manifest file format (line " + lineNo + ")");
            }
            String name = null;
            Long seq = null;
            Type type = null;
            for (int i = 0; i < tokens.size(); i += 2) {
                String k = tokens.get(i);
                String v = tokens.get(i + 1);
                switch (k) {
                    case "file" -> name = v;
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(v);
                        } catch (NumberFormatException ex) {
                            throw new AofFormatException("Invalid AOF manifest file format (line " + lineNo
                                    + "): bad seq");
                        }
                    }
                    case "type" -> type = Type.of(v);
                    default -> {
                        // unknown keys are ignored, as Redis does, for forward compatibility
                    }
                }
            }
            if (name == null || seq == null || type == null) {
                throw new AofFormatException("Invalid AOF manifest file format (line " + lineNo + ")");
            }
            if (name.contains("/")) {
                throw new AofFormatException("Invalid AOF manifest file format (line " + lineNo
                        + "): file names must not contain a path");
            }
            if (type == Type.BASE) {
                if (haveBase) {
                    throw new AofFormatException("Found duplicate base file information");
                }
                haveBase = true;
            }
            out.add(new Entry(name, seq, type));
        }
        long lastIncr = 0;
        for (Entry e : out) {
            if (e.type == Type.INCR) {
                if (e.seq <= lastIncr) {
                    throw new AofFormatException("Found a non-monotonic sequence number");
                }
                lastIncr = e.seq;
            }
        }
        return new AofManifest(out);
    }

    /** Splits a line into tokens, undoing the quoting {@link #format} applies. */
    private static List<String> split(String line, int lineNo) throws AofFormatException {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (line.charAt(i) == '"') {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                i++;
                boolean closed = false;
                while (i < n) {
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        closed = true;
                        break;
                    }
                    if (ch == '\\' && i < n) {
                        char esc = line.charAt(i++);
                        switch (esc) {
                            case 'n' -> b.write('\n');
                            case 'r' -> b.write('\r');
                            case 't' -> b.write('\t');
                            case 'x' -> {
                                if (i + 2 > n) {
                                    throw new AofFormatException("Invalid AOF manifest file format (line "
                                            + lineNo + ")");
                                }
                                b.write(Integer.parseInt(line.substring(i, i + 2), 16));
                                i += 2;
                            }
                            default -> b.write(esc);
                        }
                    } else {
                        byte[] u = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                        b.write(u, 0, u.length);
                    }
                }
                if (!closed || i < n && line.charAt(i) != ' ') {
                    throw new AofFormatException("Invalid AOF manifest file format (line " + lineNo + ")");
                }
                tokens.add(b.toString(StandardCharsets.UTF_8));
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ' ') {
                    i++;
                }
                tokens.add(line.substring(start, i));
            }
        }
        return tokens;
    }
}
