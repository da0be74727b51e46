package dev.peregrine.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments the way Redis splits inline requests and configuration lines: arguments are
 * separated by white space; {@code "double quotes"} take the escapes {@code \n \r \t \b \a \\ \"} and
 * {@code \xHH}; {@code 'single quotes'} take only {@code \'}; a closing quote must be followed by white space or the
 * end of the line.
 *
 * <p>Stateless; any thread.
 */
public final class SplitArgs {
    private SplitArgs() {
    }

    /** Splits a string (its UTF-8 bytes); {@code null} on unbalanced quotes. */
    public static List<String> split(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[][] parts = split(bytes, 0, bytes.length);
        if (parts == null) {
            return null;
        }
        List<String> out = new ArrayList<>(parts.length);
        for (byte[] p : parts) {
            out.add(new String(p, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Splits {@code line[from, to)}.
     *
     * @return the arguments, possibly none; {@code null} when quotes are unbalanced or a closing quote is not
     *         followed by white space
     */
    public static byte[][] split(byte[] line, int from, int to) {
        List<byte[]> args = new ArrayList<>();
        int p = from;
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return args.toArray(new byte[0][]);
            }
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            current.reset();
            while (!done) {
                if (inDouble) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < to && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        current.write((hex(line[p + 2]) << 4) | hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        byte e = line[p];
                        switch (e) {
                            case 'n': current.write('\n'); break;
                            case 'r': current.write('\r'); break;
                            case 't': current.write('\t'); break;
                            case 'b': current.write('\b'); break;
                            case 'a': current.write(7); break;
                            default: current.write(e); break;
                        }
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < to && line[p + 1] == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else {
                    if (p >= to) {
                        done = true;
                        break;
                    }
                    byte c = line[p];
                    switch (c) {
                        case ' ': case '\n': case '\r': case '\t': case 0:
                            done = true;
                            break;
                        case '"':
                            inDouble = true;
                            break;
                        case '\'':
                            inSingle = true;
                            break;
                        default:
                            current.write(c);
                            break;
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c - 'A' + 10;
    }
}
