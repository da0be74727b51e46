package dev.peregrine.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds where one complete RESP2/RESP3 reply ends in a buffer, without decoding it: used by clients that relay
 * or compare raw replies (the admin CLI, the differential tests).
 *
 * <p>Stateless; any thread.
 */
public final class ReplyFramer {
    private ReplyFramer() {
    }

    /**
     * @param in    the buffer
     * @param start index of the reply's type byte
     * @return the index just past the reply, or {@code -1} if the buffer does not hold all of it yet
     * @throws IllegalArgumentException on a byte that starts no RESP type
     */
    public static int frameEnd(ByteBuf in, int start) {
        if (start >= in.writerIndex()) {
            return -1;
        }
        int cr = in.forEachByte(start, in.writerIndex() - start, ByteProcessor.FIND_CR);
        if (cr < 0 || cr + 1 >= in.writerIndex()) {
            return -1;
        }
        int lineEnd = cr + 2;
        byte type = in.getByte(start);
        switch (type) {
            case '+': case '-': case ':': case ',': case '#': case '(': case '_':
                return lineEnd;
            case '$': case '=': case '!': {
                long len = RequestDecoder.parseLong(in, start + 1, cr);
                if (len < 0) {
                    return lineEnd; // $-1
                }
                long end = lineEnd + len + 2;
                return end <= in.writerIndex() ? (int) end : -1;
            }
            case '*': case '~': case '>': case '%': case '|': {
                long n = RequestDecoder.parseLong(in, start + 1, cr);
                if (n < 0) {
                    return lineEnd; // *-1
                }
                if (type == '%' || type == '|') {
                    n *= 2;
                }
                int at = lineEnd;
                for (long i = 0; i < n; i++) {
                    at = frameEnd(in, at);
                    if (at < 0) {
                        return -1;
                    }
                }
                if (type == '|') {
                    return frameEnd(in, at); // the attribute's reply follows it
                }
                return at;
            }
            default:
                throw new IllegalArgumentException("not a RESP type byte: " + (char) type);
        }
    }
}
