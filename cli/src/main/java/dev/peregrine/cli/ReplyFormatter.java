package dev.peregrine.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Renders replies in redis-cli's output forms, byte for byte:
 * <ul>
 *   <li>{@link #tty}: the terminal form ({@code "value"}, {@code (integer) 1}, {@code (nil)}, {@code (error) ...},
 *       numbered aggregates: {@code 1)} arrays and pushes, {@code 1~} sets, {@code 1# key => value} maps, nested
 *       ones indented under their number, a map value of two or more elements starting on the next line); strings quoted and escaped as {@link #repr}.</li>
 *   <li>{@link #raw}: bytes as they are, aggregates' elements joined by the bulk delimiter ({@code -d}), a map
 *       entry as key, space, value; an error carries its own newline.</li>
 *   <li>{@link #csv}: comma-joined, strings quoted with {@link #repr}, {@code NULL}, {@code ERROR,"..."}.</li>
 *   <li>{@link #json}: arrays, objects (non-string keys quoted), {@code null}, {@code error:"..."}; in quoted
 *       mode strings are {@link #repr} with backslashes doubled, as redis-cli 7 prints them.</li>
 * </ul>
 * Each method returns the form without the separator that follows a whole reply.
 *
 * <p>Stateless; any thread.
 */
final class ReplyFormatter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ReplyFormatter() {
    }

    /** The terminal form, ending with a newline. */
    static byte[] tty(Reply r) {
        Buf out = new Buf();
        tty(r, "", out);
        return out.toByteArray();
    }

    private static void tty(Reply r, String prefix, Buf out) {
        switch (r.type) {
            case Reply.ERROR:
                out.ascii("(error) ").bytes(r.str).nl();
                break;
            case Reply.STATUS:
            case Reply.VERBATIM:
                out.bytes(r.str).nl();
                break;
            case Reply.INTEGER:
                out.ascii("(integer) ").ascii(Long.toString(r.integer)).nl();
                break;
            case Reply.DOUBLE:
                out.ascii("(double) ").bytes(r.str).nl();
                break;
            case Reply.BIGNUM:
                out.ascii("(big number) ").bytes(r.str).nl();
                break;
            case Reply.STRING:
                repr(r.str, out);
                out.nl();
                break;
            case Reply.NULL:
                out.ascii("(nil)").nl();
                break;
            case Reply.BOOL:
                out.ascii(r.integer != 0 ? "(true)" : "(false)").nl();
                break;
            default:
                ttyAggregate(r, prefix, out);
        }
    }

    private static void ttyAggregate(Reply r, String prefix, Buf out) {
        Reply[] els = r.elements;
        if (els.length == 0) {
            out.ascii(r.type == Reply.ARRAY ? "(empty array)" : r.type == Reply.MAP ? "(empty hash)"
                    : r.type == Reply.SET ? "(empty set)" : "(empty push)").nl();
            return;
        }
        boolean map = r.type == Reply.MAP;
        int count = map ? els.length / 2 : els.length;
        int width = Integer.toString(count).length();
        String inner = prefix + " ".repeat(width + 2);
        char sep = r.type == Reply.SET ? '~' : map ? '#' : ')';
        for (int i = 0; i < els.length; i++) {
            int number = (map ? i / 2 : i) + 1;
            if (i > 0) {
                out.ascii(prefix);
            }
            String n = Integer.toString(number);
            out.ascii(" ".repeat(width - n.length())).ascii(n).ascii(sep + " ");
            tty(els[i], inner, out);
            if (map) {
                i++;
                out.dropLast();
                out.ascii(" => ");
                if (els[i].elements.length > 1) {
                    // a value with several elements starts on its own line, under the key's number
                    out.nl().ascii(inner);
                }
                tty(els[i], inner, out);
            }
        }
    }

    /** The raw form: {@code bulkDelim} between aggregate elements. */
    static byte[] raw(Reply r, byte[] bulkDelim) {
        Buf out = new Buf();
        raw(r, bulkDelim, out);
        return out.toByteArray();
    }

    private static void raw(Reply r, byte[] delim, Buf out) {
        switch (r.type) {
            case Reply.ERROR:
                out.bytes(r.str).nl();
                break;
            case Reply.STATUS: case Reply.STRING: case Reply.VERBATIM: case Reply.DOUBLE: case Reply.BIGNUM:
                out.bytes(r.str);
                break;
            case Reply.INTEGER:
                out.ascii(Long.toString(r.integer));
                break;
            case Reply.NULL:
                break;
            case Reply.BOOL:
                out.ascii(r.integer != 0 ? "(true)" : "(false)");
                break;
            case Reply.MAP:
                for (int i = 0; i < r.elements.length; i += 2) {
                    if (i > 0) {
                        out.bytes(delim);
                    }
                    raw(r.elements[i], delim, out);
                    out.ascii(" ");
                    raw(r.elements[i + 1], delim, out);
                }
                break;
            default:
                for (int i = 0; i < r.elements.length; i++) {
                    if (i > 0) {
                        out.bytes(delim);
                    }
                    raw(r.elements[i], delim, out);
                }
        }
    }

    /** The CSV form, without the final newline. */
    static byte[] csv(Reply r) {
        Buf out = new Buf();
        csv(r, out);
        return out.toByteArray();
    }

    private static void csv(Reply r, Buf out) {
        switch (r.type) {
            case Reply.ERROR:
                out.ascii("ERROR,");
                repr(r.str, out);
                break;
            case Reply.STATUS: case Reply.STRING: case Reply.VERBATIM:
                repr(r.str, out);
                break;
            case Reply.INTEGER:
                out.ascii(Long.toString(r.integer));
                break;
            case Reply.DOUBLE: case Reply.BIGNUM:
                out.bytes(r.str);
                break;
            case Reply.NULL:
                out.ascii("NULL");
                break;
            case Reply.BOOL:
                out.ascii(r.integer != 0 ? "true" : "false");
                break;
            default:
                for (int i = 0; i < r.elements.length; i++) {
                    if (i > 0) {
                        out.ascii(",");
                    }
                    csv(r.elements[i], out);
                }
        }
    }

    /** The JSON form ({@code --json}, or {@code --quoted-json} when {@code quoted}), without the final newline. */
    static byte[] json(Reply r, boolean quoted) {
        Buf out = new Buf();
        json(r, quoted, out);
        return out.toByteArray();
    }

    private static void json(Reply r, boolean quoted, Buf out) {
        switch (r.type) {
            case Reply.ERROR:
                out.ascii("error:");
                jsonString(r.str, quoted, out);
                break;
            case Reply.STATUS: case Reply.STRING: case Reply.VERBATIM:
                jsonString(r.str, quoted, out);
                break;
            case Reply.INTEGER:
                out.ascii(Long.toString(r.integer));
                break;
            case Reply.DOUBLE: case Reply.BIGNUM:
                out.bytes(r.str);
                break;
            case Reply.NULL:
                out.ascii("null");
                break;
            case Reply.BOOL:
                out.ascii(r.integer != 0 ? "true" : "false");
                break;
            case Reply.MAP:
                out.ascii("{");
                for (int i = 0; i < r.elements.length; i += 2) {
                    if (i > 0) {
                        out.ascii(",");
                    }
                    Reply key = r.elements[i];
                    if (key.type == Reply.ERROR || key.type == Reply.STATUS || key.type == Reply.STRING
                            || key.type == Reply.VERBATIM) {
                        json(key, quoted, out);
                    } else {
                        byte[] k = json(key, quoted);
                        if (k.length > 0 && k[0] == '"') {
                            out.bytes(k);
                        } else {
                            out.ascii("\"").bytes(k).ascii("\"");
                        }
                    }
                    out.ascii(":");
                    json(r.elements[i + 1], quoted, out);
                }
                out.ascii("}");
                break;
            default:
                out.ascii("[");
                for (int i = 0; i < r.elements.length; i++) {
                    if (i > 0) {
                        out.ascii(",");
                    }
                    json(r.elements[i], quoted, out);
                }
                out.ascii("]");
        }
    }

    private static void jsonString(byte[] s, boolean quoted, Buf out) {
        if (quoted) {
            Buf repr = new Buf();
            repr(s, repr);
            for (byte b : repr.toByteArray()) {
                if (b == '\\') {
                    out.write('\\');
                }
                out.write(b);
            }
            return;
        }
        out.write('"');
        for (byte b : s) {
            switch (b) {
                case '\\': out.ascii("\\\\"); break;
                case '"': out.ascii("\\\""); break;
                case '\n': out.ascii("\\n"); break;
                case '\f': out.ascii("\\f"); break;
                case '\r': out.ascii("\\r"); break;
                case '\t': out.ascii("\\t"); break;
                case '\b': out.ascii("\\b"); break;
                default:
                    if (b >= 0 && b <= 0x1f) {
                        out.ascii("\\u00").write(HEX[b >> 4]).write(HEX[b & 15]);
                    } else {
                        out.write(b);
                    }
            }
        }
        out.write('"');
    }

    /**
     * Appends {@code s} in double quotes with redis-cli's escapes: {@code \\ \" \n \r \t \a \b}, other bytes outside
     * printable ASCII as {@code \xhh}.
     */
    static void repr(byte[] s, Buf out) {
        out.write('"');
        for (byte b : s) {
            switch (b) {
                case '\\': out.ascii("\\\\"); break;
                case '"': out.ascii("\\\""); break;
                case '\n': out.ascii("\\n"); break;
                case '\r': out.ascii("\\r"); break;
                case '\t': out.ascii("\\t"); break;
                case 7: out.ascii("\\a"); break;
                case '\b': out.ascii("\\b"); break;
                default:
                    if (b >= 0x20 && b < 0x7f) {
                        out.write(b);
                    } else {
                        out.ascii("\\x").write(HEX[(b >> 4) & 15]).write(HEX[b & 15]);
                    }
            }
        }
        out.write('"');
    }

    /** A growable byte buffer with chaining appends. */
    static final class Buf extends ByteArrayOutputStream {
        Buf ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
            return this;
        }

        Buf bytes(byte[] b) {
            write(b, 0, b.length);
            return this;
        }

        Buf nl() {
            write('\n');
            return this;
        }

        Buf write(byte b) {
            super.write(b);
            return this;
        }

        void dropLast() {
            if (count > 0) {
                count--;
            }
        }
    }
}
