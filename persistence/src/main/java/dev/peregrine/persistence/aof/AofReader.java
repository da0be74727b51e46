package dev.peregrine.persistence.aof;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the commands of an AOF file (or of the AOF part after an RDB preamble): RESP arrays of bulk strings,
 * {@code *<n>\r\n} then {@code n} times {@code $<len>\r\n<bytes>\r\n}, as Redis writes them; lines starting with
 * {@code #} (the {@code #TS:} annotations of {@code aof-timestamp-enabled}) are skipped.
 *
 * <p>A file that ends in the middle of a command is reported as truncated, with the length of its valid prefix
 * (the end of the last whole command), so the caller can apply {@code aof-load-truncated}; anything else that is
 * not this format is an {@link AofFormatException} naming the file and offset. Not thread-safe.
 */
public final class AofReader {

    /** Receives each complete command in file order. */
    @FunctionalInterface
    public interface CommandVisitor {
        /**
         * @param argv the command and its arguments (fresh arrays the visitor may keep)
         * @param end  the file offset just after the command, in bytes
         */
        void onCommand(byte[][] argv, long end) throws IOException;
    }

    /**
     * How reading ended.
     *
     * @param validLength offset just after the last complete command (or annotation), in bytes
     * @param truncated   whether the file ended inside a command
     * @param commands    how many complete commands were read
     */
    public record Result(long validLength, boolean truncated, long commands) {
    }

    /** Largest bulk allocated at once before its bytes arrive; longer ones grow as they are read. */
    private static final int EAGER_ALLOCATION = 1 << 20;

    private final InputStream in;
    private final String fileName;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long base;

    /**
     * @param in         the stream, positioned at {@code startOffset} of the file
     * @param startOffset the file offset the stream starts at (after an RDB preamble), for messages
     * @param fileName   the file's name, for messages
     */
    public AofReader(InputStream in, long startOffset, String fileName) {
        this.in = in;
        this.base = startOffset;
        this.fileName = fileName;
    }

    private long offset() {
        return base + pos;
    }

    /** Reads every command, handing each to {@code visitor}. */
    public Result read(CommandVisitor visitor) throws IOException {
        long valid = offset();
        long commands = 0;
        try {
            while (true) {
                int first = peek();
                if (first < 0) {
                    return new Result(valid, false, commands);
                }
                if (first == '#') {
                    skipLine();
                    valid = offset();
                    continue;
                }
                if (first != '*') {
                    throw bad("expected '*' at the start of a command");
                }
                pos++;
                long argc = readNumber();
                if (argc < 1 || argc > Integer.MAX_VALUE) {
                    throw bad("invalid argument count " + argc);
                }
                byte[][] argv = new byte[(int) Math.min(argc, 1024)][];
                for (int i = 0; i < argc; i++) {
                    if (i == argv.length) {
                        argv = Arrays.copyOf(argv, (int) Math.min(argc, (long) argv.length * 2));
                    }
                    int b = next();
                    if (b != '$') {
                        throw bad("expected '$' before an argument");
                    }
                    long len = readNumber();
                    if (len < 0 || len > Integer.MAX_VALUE - 2) {
                        throw bad("invalid bulk length " + len);
                    }
                    argv[i] = readBulk((int) len);
                    if (next() != '\r' || next() != '\n') {
                        throw bad("expected CRLF after an argument");
                    }
                }
                commands++;
                valid = offset();
                visitor.onCommand(argv, valid);
            }
        } catch (EOFException e) {
            return new Result(valid, true, commands);
        }
    }

    private AofFormatException bad(String what) {
        return new AofFormatException("Bad file format reading the append only file " + fileName + " at offset "
                + offset() + ": " + what);
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    private int next() throws IOException {
        if (pos == limit && !fill()) {
            throw new EOFException();
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        base += limit;
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private void skipLine() throws IOException {
        while (next() != '\n') {
            // skip
        }
    }

    /** A decimal number up to CRLF. */
    private long readNumber() throws IOException {
        long v = 0;
        int digits = 0;
        boolean negative = false;
        while (true) {
            int b = next();
            if (b == '\r') {
                if (next() != '\n') {
                    throw bad("expected LF after CR");
                }
                break;
            }
            if (b == '-' && digits == 0 && !negative) {
                negative = true;
                continue;
            }
            if (b < '0' || b > '9' || digits >= 18) {
                throw bad("invalid number");
            }
            v = v * 10 + (b - '0');
            digits++;
        }
        if (digits == 0) {
            throw bad("empty number");
        }
        return negative ? -v : v;
    }

    private byte[] readBulk(int len) throws IOException {
        byte[] out = new byte[Math.min(len, EAGER_ALLOCATION)];
        int got = 0;
        while (got < len) {
            if (pos == limit && !fill()) {
                throw new EOFException();
            }
            int n = Math.min(limit - pos, len - got);
            if (got + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, Math.max((long) out.length * 2, got + n)));
            }
            System.arraycopy(buf, pos, out, got, n);
            pos += n;
            got += n;
        }
        return out;
    }
}
