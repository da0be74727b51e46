package dev.peregrine.cli;

import dev.peregrine.protocol.ReplyFramer;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.io.ByteArrayOutputStream;

/**
 * Prints one reply the way redis-cli prints it when its output is not a terminal ("raw" form): strings as their
 * bytes, integers as digits, nulls as nothing, errors as their text followed by a newline, aggregates as their
 * elements separated by newlines (map entries as key and value separated by a space in RESP3).
 *
 * <p>Stateless; any thread.
 */
final class RawFormatter {
    private RawFormatter() {
    }

    /** Formats the complete reply starting at {@code start}; returns the bytes without the final newline. */
    static byte[] format(ByteBuf in, int start) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(in, start, out);
        return out.toByteArray();
    }

    private static int lineEnd(ByteBuf in, int start) {
        return in.forEachByte(start, in.writerIndex() - start, ByteProcessor.FIND_CR);
    }

    /** Appends the formatted reply at {@code start} and returns the index past it. */
    private static int append(ByteBuf in, int start, ByteArrayOutputStream out) {
        byte type = in.getByte(start);
        int cr = lineEnd(in, start);
        int next = cr + 2;
        switch (type) {
            case '+': case ':': case ',': case '(':
                copy(in, start + 1, cr, out);
                return next;
            case '-':
                copy(in, start + 1, cr, out);
                out.write('\n');
                return next;
            case '_':
                return next;
            case '#':
                out.writeBytes(in.getByte(start + 1) == 't' ? "(true)".getBytes() : "(false)".getBytes());
                return next;
            case '$': case '=': case '!': {
                int len = Integer.parseInt(in.toString(start + 1, cr - start - 1, java.nio.charset.StandardCharsets.US_ASCII));
                if (len < 0) {
                    return next;
                }
                int from = type == '=' ? next + 4 : next;
                copy(in, from, next + len, out);
                return next + len + 2;
            }
            case '*': case '~': case '>': case '%': case '|': {
                int n = Integer.parseInt(in.toString(start + 1, cr - start - 1, java.nio.charset.StandardCharsets.US_ASCII));
                if (n < 0) {
                    return next;
                }
                int at = next;
                if (type == '|') {
                    for (int i = 0; i < 2 * n; i++) {
                        at = ReplyFramer.frameEnd(in, at);
                    }
                    return append(in, at, out);
                }
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.write('\n');
                    }
                    at = append(in, at, out);
                    if (type == '%') {
                        out.write(' ');
                        at = append(in, at, out);
                    }
                }
                return at;
            }
            default:
                throw new IllegalArgumentException("not a RESP reply: " + (char) type);
        }
    }

    private static void copy(ByteBuf in, int from, int to, ByteArrayOutputStream out) {
        byte[] b = new byte[to - from];
        in.getBytes(from, b);
        out.writeBytes(b);
    }
}
