package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies of every RESP3 type into a {@link ByteBuf}, downgrading to RESP2 exactly as Redis 7.2 does:
 * map → flat array of twice the length, set and push → array, double → bulk string, boolean → integer 1/0, big
 * number and verbatim string → bulk string, null → {@code $-1} (or {@code *-1} where Redis answers a null array),
 * attribute → nothing (the caller skips the attribute's content, see {@link #attributeHeader(int)}).
 *
 * <p>A flyweight: {@link #wrap(ByteBuf, int)} points it at a buffer and a protocol version. Not thread-safe; used by
 * one thread at a time, the one writing the wrapped buffer.
 */
public final class ReplyWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] QUEUED = ascii("+QUEUED\r\n");
    private static final byte[] NULL_BULK_RESP2 = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY_RESP2 = ascii("*-1\r\n");
    private static final byte[] NULL_RESP3 = ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] EMPTY_BULK = ascii("$0\r\n\r\n");
    private static final byte[] TRUE_RESP3 = ascii("#t\r\n");
    private static final byte[] FALSE_RESP3 = ascii("#f\r\n");
    private static final byte[] ERR_PREFIX = ascii("-ERR ");
    private static final int SHARED_INTEGERS = 10_000;
    private static final byte[][] INTEGER_REPLIES = new byte[SHARED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[1024][];
    private static final byte[][] ARRAY_HEADERS = new byte[1024][];

    static {
        for (int i = 0; i < SHARED_INTEGERS; i++) {
            INTEGER_REPLIES[i] = ascii(":" + i + "\r\n");
        }
        for (int i = 0; i < BULK_HEADERS.length; i++) {
            BULK_HEADERS[i] = ascii("$" + i + "\r\n");
            ARRAY_HEADERS[i] = ascii("*" + i + "\r\n");
        }
    }

    private ByteBuf out;
    private int protocol = 2;

    /** Points this writer at {@code buffer}; {@code protocol} is 2 or 3. Returns this. */
    public ReplyWriter wrap(ByteBuf buffer, int protocol) {
        this.out = buffer;
        this.protocol = protocol;
        return this;
    }

    /** The wrapped buffer. */
    public ByteBuf buffer() {
        return out;
    }

    /** The protocol version replies are written in, 2 or 3. */
    public int protocol() {
        return protocol;
    }

    /** Changes the protocol version of the replies written from now on (HELLO). */
    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    // ---------------------------------------------------------------- simple types

    /** {@code +OK}. */
    public void ok() {
        out.writeBytes(OK);
    }

    /** {@code +PONG}. */
    public void pong() {
        out.writeBytes(PONG);
    }

    /** {@code +QUEUED}. */
    public void queued() {
        out.writeBytes(QUEUED);
    }

    /** A simple string; {@code text} must not contain CR or LF. */
    public void simpleString(String text) {
        out.writeByte('+');
        writeAscii(text);
        out.writeBytes(CRLF);
    }

    /** A simple string from bytes, with CR and LF replaced by spaces as Redis does for status replies. */
    public void simpleString(byte[] text) {
        out.writeByte('+');
        for (byte b : text) {
            out.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        out.writeBytes(CRLF);
    }

    /**
     * An error. A message starting with {@code -} is written as it is; any other gets Redis's {@code -ERR } prefix
     * unless it already starts with an upper-case error code such as {@code WRONGTYPE } or {@code ERR }. CR and LF
     * in the message become spaces. Each char up to U+00FF is written as one byte (so client bytes quoted in a
     * message, decoded as ISO-8859-1, come back unchanged, as Redis echoes them); others become {@code ?}.
     *
     * @param message e.g. {@code "ERR syntax error"}, {@code "WRONGTYPE Operation against a key..."}
     */
    public void error(String message) {
        int from = 0;
        if (message.startsWith("-")) {
            from = 1;
            out.writeByte('-');
        } else if (startsWithCode(message)) {
            out.writeByte('-');
        } else {
            out.writeBytes(ERR_PREFIX);
        }
        for (int i = from; i < message.length(); i++) {
            char c = message.charAt(i);
            out.writeByte(c == '\r' || c == '\n' ? ' ' : (c < 0x100 ? c : '?'));
        }
        out.writeBytes(CRLF);
    }

    /** Whether {@code message} begins with an error code: upper-case letters followed by a space. */
    public static boolean startsWithCode(String message) {
        int i = 0;
        while (i < message.length()) {
            char c = message.charAt(i);
            if (c == ' ') {
                return i > 0;
            }
            if (!((c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9' && i > 0))) {
                return false;
            }
            i++;
        }
        return false;
    }

    /** An integer reply. */
    public void integer(long value) {
        if (value >= 0 && value < SHARED_INTEGERS) {
            out.writeBytes(INTEGER_REPLIES[(int) value]);
            return;
        }
        out.writeByte(':');
        writeLong(value);
        out.writeBytes(CRLF);
    }

    /** RESP3 boolean; RESP2 integer 1 or 0. */
    public void bool(boolean value) {
        if (resp3()) {
            out.writeBytes(value ? TRUE_RESP3 : FALSE_RESP3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    /**
     * RESP3 double; RESP2 bulk string. {@code text} is the value as Redis prints it, e.g. {@code "3.5"},
     * {@code "inf"}, {@code "-inf"}; see {@link DoubleFormat}.
     */
    public void doubleValue(String text) {
        if (resp3()) {
            out.writeByte(',');
            writeAscii(text);
            out.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    /** A double printed with {@link DoubleFormat#format(double)}. */
    public void doubleValue(double value) {
        doubleValue(DoubleFormat.format(value));
    }

    /** RESP3 big number; RESP2 bulk string. {@code digits} is an optionally signed decimal integer. */
    public void bigNumber(String digits) {
        if (resp3()) {
            out.writeByte('(');
            writeAscii(digits);
            out.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    /** RESP3 verbatim string with a three-letter format such as {@code txt}; RESP2 bulk string of the text. */
    public void verbatim(String format, byte[] text) {
        if (resp3()) {
            out.writeByte('=');
            writeLong(text.length + 4L);
            out.writeBytes(CRLF);
            writeAscii(format);
            out.writeByte(':');
            out.writeBytes(text);
            out.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    // ---------------------------------------------------------------- bulk strings and nulls

    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    public void bulk(byte[] value, int offset, int length) {
        bulkHeader(length);
        out.writeBytes(value, offset, length);
        out.writeBytes(CRLF);
    }

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string of the decimal digits of {@code value}. */
    public void bulk(long value) {
        if (value >= 0 && value < 10) {
            out.writeBytes(BULK_HEADERS[1]);
            out.writeByte((int) ('0' + value));
            out.writeBytes(CRLF);
            return;
        }
        bulk(Long.toString(value));
    }

    /** The empty bulk string. */
    public void emptyBulk() {
        out.writeBytes(EMPTY_BULK);
    }

    /** The header of a bulk string of {@code length} bytes; the caller writes the bytes and {@link #crlf()}. */
    public void bulkHeader(int length) {
        if (length < BULK_HEADERS.length) {
            out.writeBytes(BULK_HEADERS[length]);
        } else {
            out.writeByte('$');
            writeLong(length);
            out.writeBytes(CRLF);
        }
    }

    public void crlf() {
        out.writeBytes(CRLF);
    }

    /** Null where Redis answers a null bulk string: RESP2 {@code $-1}, RESP3 {@code _}. */
    public void nullBulk() {
        out.writeBytes(resp3() ? NULL_RESP3 : NULL_BULK_RESP2);
    }

    /** Null where Redis answers a null array: RESP2 {@code *-1}, RESP3 {@code _}. */
    public void nullArray() {
        out.writeBytes(resp3() ? NULL_RESP3 : NULL_ARRAY_RESP2);
    }

    // ---------------------------------------------------------------- aggregates

    /** An array of {@code n} elements; the caller writes them. */
    public void arrayHeader(int n) {
        if (n < ARRAY_HEADERS.length) {
            out.writeBytes(ARRAY_HEADERS[n]);
        } else {
            out.writeByte('*');
            writeLong(n);
            out.writeBytes(CRLF);
        }
    }

    public void emptyArray() {
        out.writeBytes(EMPTY_ARRAY);
    }

    /** A map of {@code n} key-value pairs (RESP2: an array of {@code 2n}); the caller writes 2n elements. */
    public void mapHeader(int n) {
        if (resp3()) {
            aggregateHeader('%', n);
        } else {
            arrayHeader(n * 2);
        }
    }

    /** A set of {@code n} elements (RESP2: an array). */
    public void setHeader(int n) {
        if (resp3()) {
            aggregateHeader('~', n);
        } else {
            arrayHeader(n);
        }
    }

    /** A push message of {@code n} elements (RESP2: an array, as pub/sub messages are). */
    public void pushHeader(int n) {
        if (resp3()) {
            aggregateHeader('>', n);
        } else {
            arrayHeader(n);
        }
    }

    /**
     * An attribute of {@code n} key-value pairs that precedes a reply. RESP2 has no attributes: nothing is written
     * and the caller must skip the attribute's content.
     *
     * @return whether the caller should write the {@code 2n} attribute elements
     */
    public boolean attributeHeader(int n) {
        if (!resp3()) {
            return false;
        }
        aggregateHeader('|', n);
        return true;
    }

    private void aggregateHeader(char type, int n) {
        out.writeByte(type);
        writeLong(n);
        out.writeBytes(CRLF);
    }

    /** Raw protocol bytes, already framed. */
    public void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    // ---------------------------------------------------------------- helpers

    private void writeAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            out.writeByte(s.charAt(i));
        }
    }

    private void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            writeAscii("-9223372036854775808");
            return;
        }
        if (v < 0) {
            out.writeByte('-');
            v = -v;
        }
        if (v < 10) {
            out.writeByte((int) ('0' + v));
            return;
        }
        int digits = 1;
        for (long p = 10; p <= v && digits < 19; p *= 10) {
            digits++;
        }
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
