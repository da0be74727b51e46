package dev.peregrine.cli;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;

/**
 * One decoded RESP2/RESP3 reply, as redis-cli sees it: a type byte, the text of simple strings, errors, bulk and
 * verbatim strings (verbatim without its {@code "txt:"} prefix), doubles and big numbers (as sent), an integer or a
 * boolean, and the elements of aggregates (a map holds keys and values alternately, so {@code 2 * n} elements).
 * Attributes ({@code |}) are skipped: the reply is the one that follows them. A RESP2 null bulk or null array is
 * {@link #NULL}.
 *
 * <p>Immutable once parsed; any thread.
 */
final class Reply {
    static final byte STATUS = '+';
    static final byte ERROR = '-';
    static final byte INTEGER = ':';
    static final byte STRING = '$';
    static final byte ARRAY = '*';
    static final byte NULL = '_';
    static final byte DOUBLE = ',';
    static final byte BOOL = '#';
    static final byte BIGNUM = '(';
    static final byte VERBATIM = '=';
    static final byte MAP = '%';
    static final byte SET = '~';
    static final byte PUSH = '>';

    private static final Reply[] NONE = new Reply[0];

    final byte type;
    /** Text of STATUS, ERROR, STRING, VERBATIM, DOUBLE, BIGNUM; {@code null} otherwise. */
    final byte[] str;
    /** INTEGER value, or 1/0 for BOOL. */
    final long integer;
    /** Elements of ARRAY, SET, PUSH and MAP (keys and values alternately); empty otherwise. */
    final Reply[] elements;

    Reply(byte type, byte[] str, long integer, Reply[] elements) {
        this.type = type;
        this.str = str;
        this.integer = integer;
        this.elements = elements;
    }

    boolean isAggregate() {
        return type == ARRAY || type == SET || type == PUSH || type == MAP;
    }

    /** The text as ISO-8859-1 (one char per byte), for messages and tests. */
    String text() {
        return str == null ? null : new String(str, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes the complete reply that starts at {@code start} (callers frame it first with
     * {@link ReplyFramer#frameEnd}).
     */
    static Reply parse(ByteBuf in, int start) {
        int[] at = {start};
        return parse(in, at);
    }

    private static Reply parse(ByteBuf in, int[] at) {
        int start = at[0];
        byte type = in.getByte(start);
        int cr = in.forEachByte(start, in.writerIndex() - start, ByteProcessor.FIND_CR);
        at[0] = cr + 2;
        switch (type) {
            case STATUS: case ERROR: case DOUBLE: case BIGNUM:
                return new Reply(type, bytes(in, start + 1, cr), 0, NONE);
            case INTEGER:
                return new Reply(type, null, Long.parseLong(ascii(in, start + 1, cr)), NONE);
            case NULL:
                return new Reply(NULL, null, 0, NONE);
            case BOOL:
                return new Reply(BOOL, null, in.getByte(start + 1) == 't' ? 1 : 0, NONE);
            case STRING: case VERBATIM: case '!': {
                int len = Integer.parseInt(ascii(in, start + 1, cr));
                if (len < 0) {
                    return new Reply(NULL, null, 0, NONE);
                }
                int from = cr + 2;
                at[0] = from + len + 2;
                if (type == '!') {
                    return new Reply(ERROR, bytes(in, from, from + len), 0, NONE);
                }
                if (type == VERBATIM) {
                    from = Math.min(from + 4, from + len);
                }
                return new Reply(type, bytes(in, from, cr + 2 + len), 0, NONE);
            }
            case ARRAY: case SET: case PUSH: case MAP: case '|': {
                int n = Integer.parseInt(ascii(in, start + 1, cr));
                if (n < 0) {
                    return new Reply(NULL, null, 0, NONE);
                }
                int count = type == MAP || type == '|' ? 2 * n : n;
                Reply[] els = new Reply[count];
                for (int i = 0; i < count; i++) {
                    els[i] = parse(in, at);
                }
                if (type == '|') {
                    return parse(in, at);
                }
                return new Reply(type, null, 0, els);
            }
            default:
                throw new IllegalArgumentException("Protocol error, got \"" + (char) type + "\" as reply type byte");
        }
    }

    private static String ascii(ByteBuf in, int from, int to) {
        return in.toString(from, to - from, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuf in, int from, int to) {
        byte[] b = new byte[to - from];
        in.getBytes(from, b);
        return b;
    }
}
