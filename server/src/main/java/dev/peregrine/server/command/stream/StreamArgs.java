package dev.peregrine.server.command.stream;

import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.Errors;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.stream.StreamId;
import dev.peregrine.storage.stream.StreamValue;

import java.nio.charset.StandardCharsets;

/**
 * Argument parsing and lookups shared by the stream commands: stream IDs as Redis parses them
 * ({@code streamGenericParseIDOrReply}, {@code string2ull}), interval bounds with {@code (}, and typed key
 * lookups. Executor-only.
 */
final class StreamArgs {
    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    private StreamArgs() {
    }

    /** Unsigned 64-bit decimal as Redis's string2ull, or null: string2ll when it fits, else strtoull rules. */
    static Long parseUnsigned(byte[] b, int off, int len) {
        if (len == 0) {
            return null;
        }
        long v = Numbers.parseLong(b, off, len);
        boolean isLong = v != Numbers.NOT_A_LONG
                || Numbers.isLong(java.util.Arrays.copyOfRange(b, off, off + len));
        if (isLong) {
            return v < 0 ? null : v;
        }
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        if (i == end) {
            return null;
        }
        long acc = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long next = acc * 10 + d;
            if (Long.compareUnsigned(next, acc * 10) < 0) {
                return null;
            }
            acc = next;
        }
        return neg ? -acc : acc;
    }

    /**
     * Parses a stream ID. {@code -} and {@code +} are the smallest and largest IDs unless {@code strict};
     * {@code ms} alone takes {@code missingSeq}; with {@code seqGiven} non-null, {@code ms-*} is accepted and
     * reported there as false.
     */
    static StreamId parseId(byte[] a, long missingSeq, boolean strict, boolean[] seqGiven) {
        if (a.length > 127) {
            throw new CommandError(INVALID_ID);
        }
        int nul = indexOf(a, (byte) 0, 0);
        int len = nul < 0 ? a.length : nul;
        if (len == 1 && (a[0] == '-' || a[0] == '+')) {
            if (strict) {
                throw new CommandError(INVALID_ID);
            }
            if (seqGiven != null) {
                seqGiven[0] = true;
            }
            return a[0] == '-' ? StreamId.MIN : StreamId.MAX;
        }
        if (seqGiven != null) {
            seqGiven[0] = true;
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (a[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = parseUnsigned(a, 0, dash < 0 ? len : dash);
        if (ms == null) {
            throw new CommandError(INVALID_ID);
        }
        long seq;
        if (dash >= 0) {
            if (seqGiven != null && len - dash - 1 == 1 && a[dash + 1] == '*') {
                seq = 0;
                seqGiven[0] = false;
            } else {
                Long s = parseUnsigned(a, dash + 1, len - dash - 1);
                if (s == null) {
                    throw new CommandError(INVALID_ID);
                }
                seq = s;
            }
        } else {
            seq = missingSeq;
        }
        return new StreamId(ms, seq);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static StreamId parseStrict(byte[] a) {
        return parseId(a, 0, true, null);
    }

    /**
     * An interval bound: {@code (id} is exclusive (strict parse, then moved one step inward), otherwise as
     * {@link #parseId} non-strict.
     */
    static StreamId parseBound(byte[] a, boolean start) {
        long missing = start ? 0 : -1L;
        if (a.length > 1 && a[0] == '(') {
            StreamId id = parseId(java.util.Arrays.copyOfRange(a, 1, a.length), missing, true, null);
            StreamId moved = start ? id.next() : id.previous();
            if (moved == null) {
                throw new CommandError(start ? "ERR invalid start ID for the interval"
                        : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return parseId(a, missing, false, null);
    }

    /** The stream at {@code key} for reading, null when absent; WRONGTYPE otherwise. */
    static StreamValue read(CommandContext c, byte[] key) {
        Object e = c.lookupRead(key);
        if (e == null) {
            return null;
        }
        if (!(e instanceof StreamValue s)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return s;
    }

    /** The stream at {@code key} for a change in place, null when absent; WRONGTYPE otherwise. */
    static StreamValue write(CommandContext c, byte[] key) {
        Object e = c.lookupWrite(key);
        if (e == null) {
            return null;
        }
        if (!(e instanceof StreamValue s)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return s;
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
