package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Decodes client requests, multibulk ({@code *3\r\n$3\r\nSET\r\n...}) and inline ({@code SET k v\r\n}), straight
 * from a cumulating {@link ByteBuf}, with the limits and error texts of Redis 7.2's request parser.
 *
 * <p>An explicit state machine: each step consumes a complete element or returns leaving the reader index at the
 * start of the incomplete element, so input split at any byte across reads decodes the same as whole input. A
 * bulk string is copied out only once all its bytes have arrived, and every declared length is checked before
 * anything is allocated for it.
 *
 * <h2>Limits (Redis 7.2)</h2>
 * <ul>
 *   <li>an inline request, or a {@code *}/{@code $} header line, longer than 64 KiB without a newline:
 *       {@code too big inline request} / {@code too big mbulk count string} / {@code too big bulk count string};</li>
 *   <li>multibulk length above {@code Integer.MAX_VALUE}: {@code invalid multibulk length}; above 10 before the
 *       client authenticated: {@code unauthenticated multibulk length};</li>
 *   <li>bulk length negative or above {@code proto-max-bulk-len}: {@code invalid bulk length}; above 16384 before
 *       the client authenticated: {@code unauthenticated bulk length}.</li>
 * </ul>
 *
 * <p>While the client must authenticate, {@link #decode} stops after each command ({@link #pausedForAuth()}), so
 * the caller can run it (it may be AUTH or HELLO AUTH) before the next command is checked against the
 * unauthenticated limits: Redis parses and runs one command at a time, so a pipeline {@code AUTH pw} followed by a
 * large command is accepted.
 *
 * <p>Thread ownership: one decoder per connection, used by that connection's I/O thread only. {@link
 * #authRequired(boolean)} may be called from any thread (the flag is volatile).
 */
public final class RequestDecoder {
    /** Longest inline request or header line, in bytes (Redis's PROTO_INLINE_MAX_SIZE). */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Largest multibulk length accepted before authentication. */
    public static final int UNAUTHENTICATED_MAX_MULTIBULK = 10;
    /** Largest bulk length accepted before authentication, in bytes. */
    public static final int UNAUTHENTICATED_MAX_BULK = 16384;
    /** Arguments pre-allocated for a multibulk before its elements arrive. */
    private static final int MAX_PREALLOCATED_ARGS = 1024;

    private enum State { REQUEST_START, BULK_HEADER, BULK_DATA }

    private State state = State.REQUEST_START;
    private byte[][] argv;
    private int argc;
    private int multibulkLength;
    private int bulkLength;
    private long maxBulkLength;
    private volatile boolean authRequired;
    /** A command was handed to the sink during the current {@link #decode} call. */
    private boolean delivered;
    private boolean pausedForAuth;

    /** @param maxBulkLength {@code proto-max-bulk-len}, in bytes */
    public RequestDecoder(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** Sets {@code proto-max-bulk-len}, in bytes; takes effect at the next bulk header. */
    public void maxBulkLength(long bytes) {
        this.maxBulkLength = bytes;
    }

    /** Whether the connection still has to authenticate, which tightens the length limits. Any thread. */
    public void authRequired(boolean required) {
        this.authRequired = required;
    }

    /**
     * Whether the last {@link #decode} call stopped early, with bytes left, after handing over a command because
     * the client must still authenticate. The caller runs that command and then calls {@code decode} again.
     */
    public boolean pausedForAuth() {
        return pausedForAuth;
    }

    /** True while a request is partly read: some of its bytes have been consumed from earlier buffers. */
    public boolean midRequest() {
        return state != State.REQUEST_START;
    }

    /**
     * Decodes every complete request in {@code in}, handing each to {@code sink}, and leaves an incomplete tail
     * unread.
     *
     * @throws ProtocolException on a framing error; requests before it were already handed to {@code sink}, and
     *                           the decoder must not be used again
     */
    public void decode(ByteBuf in, RequestSink sink) throws ProtocolException {
        delivered = false;
        pausedForAuth = false;
        while (in.isReadable()) {
            if (delivered && authRequired) {
                pausedForAuth = true; // the caller runs that command first: it may authenticate
                return;
            }
            switch (state) {
                case REQUEST_START:
                    if (in.getByte(in.readerIndex()) == '*') {
                        if (!readMultibulkHeader(in)) {
                            return;
                        }
                    } else if (!readInline(in, sink)) {
                        return;
                    }
                    break;
                case BULK_HEADER:
                    if (!readBulkHeader(in)) {
                        return;
                    }
                    break;
                case BULK_DATA:
                    if (!readBulkData(in, sink)) {
                        return;
                    }
                    break;
                default:
                    throw new AssertionError(state);
            }
        }
    }

    private boolean readInline(ByteBuf in, RequestSink sink) throws ProtocolException {
        int start = in.readerIndex();
        int newline = in.forEachByte(ByteProcessor.FIND_LF);
        if (newline < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                throw new ProtocolException("too big inline request");
            }
            return false;
        }
        int end = newline;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(newline + 1);
        byte[][] args = SplitArgs.split(line, 0, line.length);
        if (args == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        if (args.length > 0) {
            delivered = true;
            sink.onCommand(args);
        }
        return true;
    }

    private boolean readMultibulkHeader(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int cr = in.forEachByte(ByteProcessor.FIND_CR);
        if (cr < 0 || cr + 1 >= in.writerIndex()) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                throw new ProtocolException("too big mbulk count string");
            }
            return false;
        }
        long n = parseLong(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid multibulk length");
        }
        if (n > UNAUTHENTICATED_MAX_MULTIBULK && authRequired) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        if (n <= 0) {
            return true; // an empty request: nothing to run, as in Redis
        }
        multibulkLength = (int) n;
        argv = new byte[Math.min(multibulkLength, MAX_PREALLOCATED_ARGS)][];
        argc = 0;
        state = State.BULK_HEADER;
        return true;
    }

    private boolean readBulkHeader(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int cr = in.forEachByte(ByteProcessor.FIND_CR);
        if (cr < 0 || cr + 1 >= in.writerIndex()) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                throw new ProtocolException("too big bulk count string");
            }
            return false;
        }
        byte first = in.getByte(start);
        if (first != '$') {
            throw new ProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
        }
        long n = parseLong(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n < 0 || n > maxBulkLength || n > Integer.MAX_VALUE - 2) {
            throw new ProtocolException("invalid bulk length");
        }
        if (n > UNAUTHENTICATED_MAX_BULK && authRequired) {
            throw new ProtocolException("unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = (int) n;
        state = State.BULK_DATA;
        return true;
    }

    private boolean readBulkData(ByteBuf in, RequestSink sink) {
        if (in.readableBytes() < bulkLength + 2) {
            return false;
        }
        byte[] arg = new byte[bulkLength];
        in.readBytes(arg);
        in.skipBytes(2);
        if (argc == argv.length) {
            byte[][] grown = new byte[(int) Math.min((long) argv.length * 2, multibulkLength)][];
            System.arraycopy(argv, 0, grown, 0, argc);
            argv = grown;
        }
        argv[argc++] = arg;
        if (argc == multibulkLength) {
            byte[][] complete = argv;
            argv = null;
            state = State.REQUEST_START;
            delivered = true;
            sink.onCommand(complete);
        } else {
            state = State.BULK_HEADER;
        }
        return true;
    }

    /**
     * Parses a decimal integer in {@code [from, to)} with the strictness of Redis's {@code string2ll}: optional
     * {@code -}, no {@code +}, no leading zeros, no spaces.
     *
     * @return the value, or {@code Long.MIN_VALUE} when malformed
     */
    static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        byte b = in.getByte(i);
        if (b == '0') {
            return (len == 1) ? 0 : Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            b = in.getByte(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            int d = b - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
