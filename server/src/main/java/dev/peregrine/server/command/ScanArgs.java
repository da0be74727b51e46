package dev.peregrine.server.command;

/**
 * The arguments HSCAN and SSCAN share: the cursor ({@code ERR invalid cursor}), {@code MATCH pattern},
 * {@code COUNT n} (at least 1, else a syntax error) and, for HSCAN, {@code NOVALUES}. Executor-only.
 */
public final class ScanArgs {
    /** The cursor, an unsigned 64-bit number. */
    public long cursor;
    /** The MATCH pattern, or null for none (also for {@code *}). */
    public byte[] pattern;
    public long count = 10;
    public boolean noValues;

    /** Parses Redis's scan cursor (C {@code strtoul} rules, as Redis 7.2), or throws {@code ERR invalid cursor}. */
    public static long parseCursor(byte[] a) {
        int i = 0;
        boolean negative = false;
        if (a.length > 0 && (a[0] == '+' || a[0] == '-')) {
            negative = a[0] == '-';
            i++;
        }
        long v = 0;
        if (i == a.length && a.length > 0) {
            throw new CommandError("ERR invalid cursor");
        }
        for (; i < a.length; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError("ERR invalid cursor");
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /**
     * Parses the options from argument {@code from} on.
     *
     * @param allowNoValues whether NOVALUES is accepted (HSCAN)
     */
    public static ScanArgs parseOptions(CommandContext c, int from, boolean allowNoValues) {
        ScanArgs a = new ScanArgs();
        for (int i = from; i < c.argc(); ) {
            int more = c.argc() - i - 1;
            if (c.argIs(i, "count") && more >= 1) {
                a.count = c.longArg(i + 1);
                if (a.count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
                i += 2;
            } else if (c.argIs(i, "match") && more >= 1) {
                byte[] p = c.arg(i + 1);
                a.pattern = (p.length == 1 && p[0] == '*') ? null : p;
                i += 2;
            } else if (allowNoValues && c.argIs(i, "novalues")) {
                a.noValues = true;
                i++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return a;
    }

    /** Whether {@code item} passes the MATCH filter. */
    public boolean matches(byte[] item) {
        return pattern == null || dev.peregrine.storage.GlobMatcher.matches(pattern, item, false);
    }

    /** Writes the reply of a scan of a missing key: cursor 0 and no elements. */
    public static void replyEmpty(CommandContext c) {
        c.reply().arrayHeader(2);
        c.reply().bulk("0");
        c.reply().arrayHeader(0);
    }
}
