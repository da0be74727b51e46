package dev.peregrine.server.command.hash;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Effects;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.command.string.LongDouble;
import dev.peregrine.server.command.ScanArgs;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.hash.HashLimits;
import dev.peregrine.storage.hash.HashValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Hash commands (Redis's t_hash.c): adapt arguments and replies over {@link HashValue}. Executor-only. */
public final class HashCommands {
    private static final SplittableRandom RANDOM = new SplittableRandom();
    private static final String NOT_INTEGER_VALUE = "ERR hash value is not an integer";
    private static final String NOT_FLOAT_VALUE = "ERR hash value is not a float";
    private static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";

    private HashCommands() {
    }

    public static void register(CommandTable t) {
        t.register("hset", c -> hsetGeneric(c, false));
        t.register("hmset", c -> hsetGeneric(c, true));
        t.register("hsetnx", HashCommands::hsetnx);
        t.register("hget", HashCommands::hget);
        t.register("hmget", HashCommands::hmget);
        t.register("hgetall", c -> hgetallGeneric(c, true, true));
        t.register("hkeys", c -> hgetallGeneric(c, true, false));
        t.register("hvals", c -> hgetallGeneric(c, false, true));
        t.register("hdel", HashCommands::hdel);
        t.register("hlen", HashCommands::hlen);
        t.register("hstrlen", HashCommands::hstrlen);
        t.register("hexists", HashCommands::hexists);
        t.register("hincrby", HashCommands::hincrby);
        t.register("hincrbyfloat", HashCommands::hincrbyfloat);
        t.register("hrandfield", HashCommands::hrandfield);
        t.register("hscan", HashCommands::hscan);
    }

    /** The listpack thresholds from the current configuration. */
    static HashLimits limits(CommandContext c) {
        ServerConfig cfg = c.engine().config();
        return new HashLimits(cfg.longValue("hash-max-listpack-entries"), cfg.longValue("hash-max-listpack-value"));
    }

    // ---------------------------------------------------------------- lookups

    private static HashValue readHash(CommandContext c, byte[] key) {
        Object e = c.lookupRead(key);
        if (e == null) {
            return null;
        }
        if (!(e instanceof HashValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (HashValue) e;
    }

    private static HashValue writeHash(CommandContext c, byte[] key) {
        Object e = c.lookupWrite(key);
        if (e == null) {
            return null;
        }
        if (!(e instanceof HashValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (HashValue) e;
    }

    /** The hash at {@code key} for writing, created (and added to the db) when missing. */
    private static HashValue writeOrCreate(CommandContext c, byte[] key) {
        HashValue h = writeHash(c, key);
        if (h == null) {
            h = HashValue.create(key);
            c.db().put(key, h);
        }
        return h;
    }

    // ---------------------------------------------------------------- writes

    /** HSET key field value [field value ...] (number added) and HMSET (+OK). */
    static void hsetGeneric(CommandContext c, boolean hmset) {
        if (c.argc() % 2 == 1) {
            throw c.wrongArity();
        }
        byte[] key = c.arg(1);
        HashValue h = writeOrCreate(c, key);
        HashLimits limits = limits(c);
        h.prepareWrite(c.argv(), 2, c.argc() - 1, limits);
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (h.set(c.arg(i), c.arg(i + 1), limits)) {
                created++;
            }
        }
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.HASH, "hset", c.db(), key);
        c.dirty((c.argc() - 2) / 2 - 1);
        if (hmset) {
            c.reply().ok();
        } else {
            c.reply().integer(created);
        }
    }

    static void hsetnx(CommandContext c) {
        byte[] key = c.arg(1);
        HashValue h = writeHash(c, key);
        if (h != null && h.contains(c.arg(2))) {
            c.reply().integer(0);
            return;
        }
        if (h == null) {
            h = writeOrCreate(c, key);
        }
        HashLimits limits = limits(c);
        h.prepareWrite(c.argv(), 2, 3, limits);
        h.set(c.arg(2), c.arg(3), limits);
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.HASH, "hset", c.db(), key);
        c.reply().integer(1);
    }

    static void hdel(CommandContext c) {
        byte[] key = c.arg(1);
        HashValue h = writeHash(c, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean removed = false;
        for (int i = 2; i < c.argc(); i++) {
            if (h.delete(c.arg(i))) {
                deleted++;
                if (h.size() == 0) {
                    c.db().remove(key);
                    removed = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.HASH, "hdel", c.db(), key);
            if (removed) {
                c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            }
            c.dirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    static void hincrby(CommandContext c) {
        long incr = c.longArg(3);
        byte[] key = c.arg(1);
        HashValue h = writeOrCreate(c, key);
        byte[] cur = h.get(c.arg(2));
        long value = 0;
        if (cur != null) {
            value = Numbers.parseLong(cur);
            if (value == Numbers.NOT_A_LONG && !Numbers.isLong(cur)) {
                throw new CommandError(NOT_INTEGER_VALUE);
            }
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        value += incr;
        h.set(c.arg(2), Numbers.toBytes(value), limits(c));
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.HASH, "hincrby", c.db(), key);
        c.reply().integer(value);
    }

    /** HINCRBYFLOAT key field increment: long double arithmetic and printing as INCRBYFLOAT ({@link LongDouble}). */
    static void hincrbyfloat(CommandContext c) {
        byte[] arg = c.arg(3);
        BigDecimal incr = LongDouble.parse(arg, 0, arg.length);
        if (incr == null) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        if (incr == LongDouble.INFINITE) {
            throw new CommandError("ERR value is NaN or Infinity");
        }
        byte[] key = c.arg(1);
        HashValue h = writeOrCreate(c, key);
        byte[] cur = h.get(c.arg(2));
        BigDecimal value = BigDecimal.ZERO;
        if (cur != null) {
            value = LongDouble.parse(cur, 0, cur.length);
            if (value == null) {
                throw new CommandError(NOT_FLOAT_VALUE);
            }
        }
        BigDecimal sum = value == LongDouble.INFINITE ? null : LongDouble.add(value, incr);
        if (sum == null) {
            throw new CommandError(NAN_OR_INF);
        }
        byte[] out = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        h.set(c.arg(2), out, limits(c));
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.HASH, "hincrbyfloat", c.db(), key);
        if (c.propagating()) {
            c.propagateAs(Effects.HSET, key, c.arg(2), out);
        }
        c.reply().bulk(out);
    }

    // ---------------------------------------------------------------- reads

    static void hget(CommandContext c) {
        HashValue h = readHash(c, c.arg(1));
        byte[] v = h == null ? null : h.get(c.arg(2));
        if (v == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(v);
        }
    }

    static void hmget(CommandContext c) {
        HashValue h = readHash(c, c.arg(1));
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            byte[] v = h == null ? null : h.get(c.arg(i));
            if (v == null) {
                r.nullBulk();
            } else {
                r.bulk(v);
            }
        }
    }

    /** HGETALL (a map in RESP3), HKEYS and HVALS. */
    static void hgetallGeneric(CommandContext c, boolean fields, boolean values) {
        HashValue h = readHash(c, c.arg(1));
        ReplyWriter r = c.reply();
        int n = h == null ? 0 : h.size();
        if (fields && values) {
            r.mapHeader(n);
        } else {
            r.arrayHeader(n);
        }
        if (h != null) {
            h.forEach((f, v) -> {
                if (fields) {
                    r.bulk(f);
                }
                if (values) {
                    r.bulk(v);
                }
            });
        }
    }

    static void hlen(CommandContext c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(CommandContext c) {
        HashValue h = readHash(c, c.arg(1));
        int len = h == null ? -1 : h.valueLength(c.arg(2));
        c.reply().integer(Math.max(len, 0));
    }

    static void hexists(CommandContext c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().integer(h != null && h.contains(c.arg(2)) ? 1 : 0);
    }

    /** HRANDFIELD key [count [WITHVALUES]]. */
    static void hrandfield(CommandContext c) {
        ReplyWriter r = c.reply();
        if (c.argc() == 2) {
            HashValue h = readHash(c, c.arg(1));
            byte[] f = h == null ? null : h.randomField(RANDOM);
            if (f == null) {
                r.nullBulk();
            } else {
                r.bulk(f);
            }
            return;
        }
        long l = c.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and "
                    + "9223372036854775807");
        }
        boolean withValues = false;
        if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withvalues"))) {
            throw new CommandError(Errors.SYNTAX);
        } else if (c.argc() == 4) {
            withValues = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                throw new CommandError("ERR value is out of range");
            }
        }
        HashValue h = readHash(c, c.arg(1));
        if (h == null || l == 0) {
            r.emptyArray();
            return;
        }
        boolean unique = l > 0;
        long count = unique ? Math.min(l, h.size()) : -l;
        if (count > Integer.MAX_VALUE / 2) {
            // Redis would stream until the output buffer limit closes the client; we refuse up front
            throw new CommandError("ERR value is out of range");
        }
        boolean pairs = withValues && r.resp3();
        r.arrayHeader((int) (withValues && !r.resp3() ? count * 2 : count));
        boolean wv = withValues;
        h.randomFields(count, unique, RANDOM, (f, v) -> {
            if (pairs) {
                r.arrayHeader(2);
            }
            r.bulk(f);
            if (wv) {
                r.bulk(v);
            }
        });
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. */
    static void hscan(CommandContext c) {
        long cursor = ScanArgs.parseCursor(c.arg(2));
        HashValue h = readHash(c, c.arg(1));
        if (h == null) {
            ScanArgs.replyEmpty(c);
            return;
        }
        ScanArgs a = ScanArgs.parseOptions(c, 3, true);
        List<byte[]> out = new ArrayList<>();
        long[] visited = {0};
        long maxIterations = a.count * 10;
        // as Redis 7.2: COUNT bounds the items gathered (fields and values) before the MATCH filter
        do {
            cursor = h.scan(cursor, (f, v) -> {
                visited[0] += a.noValues ? 1 : 2;
                if (a.matches(f)) {
                    out.add(f);
                    if (!a.noValues) {
                        out.add(v);
                    }
                }
            });
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < a.count);
        ReplyWriter r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.arrayHeader(out.size());
        for (byte[] b : out) {
            r.bulk(b);
        }
    }

}
