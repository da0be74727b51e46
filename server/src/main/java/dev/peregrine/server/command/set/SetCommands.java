package dev.peregrine.server.command.set;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Effects;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.command.ScanArgs;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.set.SetLimits;
import dev.peregrine.storage.set.SetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Set commands (Redis's t_set.c): adapt arguments and replies over {@link SetValue}. Executor-only. */
public final class SetCommands {
    private static final SplittableRandom RANDOM = new SplittableRandom();
    private static final String RANGE_ERROR =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    private SetCommands() {
    }

    public static void register(CommandTable t) {
        t.register("sadd", SetCommands::sadd);
        t.register("srem", SetCommands::srem);
        t.register("scard", SetCommands::scard);
        t.register("sismember", SetCommands::sismember);
        t.register("smismember", SetCommands::smismember);
        t.register("smembers", SetCommands::smembers);
        t.register("spop", SetCommands::spop);
        t.register("srandmember", SetCommands::srandmember);
        t.register("smove", SetCommands::smove);
        t.register("sinter", c -> sinterGeneric(c, 1, c.argc() - 1, null, false, 0));
        t.register("sinterstore", c -> sinterGeneric(c, 2, c.argc() - 2, c.arg(1), false, 0));
        t.register("sintercard", SetCommands::sintercard);
        t.register("sunion", c -> sunionDiffGeneric(c, 1, null, true));
        t.register("sunionstore", c -> sunionDiffGeneric(c, 2, c.arg(1), true));
        t.register("sdiff", c -> sunionDiffGeneric(c, 1, null, false));
        t.register("sdiffstore", c -> sunionDiffGeneric(c, 2, c.arg(1), false));
        t.register("sscan", SetCommands::sscan);
    }

    /** The compact-encoding thresholds from the current configuration. */
    static SetLimits limits(CommandContext c) {
        ServerConfig cfg = c.engine().config();
        return new SetLimits(cfg.longValue("set-max-intset-entries"), cfg.longValue("set-max-listpack-entries"),
                cfg.longValue("set-max-listpack-value"));
    }

    private static SetValue asSet(Object e) {
        if (e == null) {
            return null;
        }
        if (!(e instanceof SetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (SetValue) e;
    }

    private static SetValue readSet(CommandContext c, byte[] key) {
        return asSet(c.lookupRead(key));
    }

    private static SetValue writeSet(CommandContext c, byte[] key) {
        return asSet(c.lookupWrite(key));
    }

    private static void writeMembers(ReplyWriter r, List<byte[]> members) {
        for (byte[] m : members) {
            r.bulk(m);
        }
    }

    // ---------------------------------------------------------------- single-set writes

    static void sadd(CommandContext c) {
        byte[] key = c.arg(1);
        SetLimits limits = limits(c);
        SetValue s = writeSet(c, key);
        if (s == null) {
            s = SetValue.create(key, c.arg(2), c.argc() - 2, limits);
            c.db().put(key, s);
        } else {
            s.maybeConvert(c.argc() - 2, limits);
        }
        int added = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.add(c.arg(i), limits)) {
                added++;
            }
        }
        if (added > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.SET, "sadd", c.db(), key);
            c.dirty(added - 1);
        }
        c.reply().integer(added);
    }

    static void srem(CommandContext c) {
        byte[] key = c.arg(1);
        SetValue s = writeSet(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        int removed = 0;
        boolean deleted = false;
        for (int i = 2; i < c.argc(); i++) {
            if (s.remove(c.arg(i))) {
                removed++;
                if (s.size() == 0) {
                    c.db().remove(key);
                    deleted = true;
                    break;
                }
            }
        }
        if (removed > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.SET, "srem", c.db(), key);
            if (deleted) {
                c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            }
            c.dirty(removed - 1);
        }
        c.reply().integer(removed);
    }

    /** SMOVE source destination member. */
    static void smove(CommandContext c) {
        byte[] srcKey = c.arg(1);
        byte[] dstKey = c.arg(2);
        byte[] member = c.arg(3);
        Object srcObj = c.lookupWrite(srcKey);
        Object dstObj = c.lookupWrite(dstKey);
        if (srcObj == null) {
            c.reply().integer(0);
            return;
        }
        SetValue src = asSet(srcObj);
        SetValue dst = asSet(dstObj);
        if (src == dst) {
            c.reply().integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.reply().integer(0);
            return;
        }
        Database db = c.db();
        c.notify(KeyspaceEvents.SET, "srem", db, srcKey);
        if (src.size() == 0) {
            db.remove(srcKey);
            c.notify(KeyspaceEvents.GENERIC, "del", db, srcKey);
        }
        SetLimits limits = limits(c);
        if (dst == null) {
            dst = SetValue.create(dstKey, member, 1, limits);
            db.put(dstKey, dst);
        }
        c.keyModified(db, srcKey);
        c.keyModified(db, dstKey);
        if (dst.add(member, limits)) {
            c.notify(KeyspaceEvents.SET, "sadd", db, dstKey);
        }
        c.reply().integer(1);
    }

    /** SPOP key [count]. */
    static void spop(CommandContext c) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = c.arg(1);
        ReplyWriter r = c.reply();
        if (c.argc() == 2) {
            SetValue s = writeSet(c, key);
            if (s == null) {
                r.nullBulk();
                return;
            }
            byte[] member = s.popRandom(RANDOM);
            r.bulk(member);
            c.notify(KeyspaceEvents.SET, "spop", c.db(), key);
            boolean emptied = s.size() == 0;
            if (emptied) {
                c.db().remove(key);
            }
            c.keyModified(c.db(), key);
            if (emptied) {
                c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            }
            if (c.propagating()) {
                c.propagateAs(Effects.SREM, key, member);
            }
            return;
        }
        // Redis parses the count with getPositiveLongFromObjectOrReply: one message for "not a number" and "< 0".
        long count = c.longArg(2, "ERR value is out of range, must be positive");
        if (count < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        SetValue s = writeSet(c, key);
        if (s == null || count == 0) {
            r.setHeader(0);
            return;
        }
        int size = s.size();
        c.notify(KeyspaceEvents.SET, "spop", c.db(), key);
        if (count >= size) {
            r.setHeader(size);
            s.forEach(r::bulk);
            c.db().remove(key);
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            if (c.propagating()) {
                c.propagateAs(Effects.delete(c.engine().config().boolValue("lazyfree-lazy-server-del")), key);
            }
            return;
        }
        r.setHeader((int) count);
        if (!c.propagating()) {
            s.popMany(count, RANDOM, limits(c), r::bulk);
        } else {
            // propagated as SREMs of up to 1024 members each, as Redis
            java.util.ArrayList<byte[]> batch = new java.util.ArrayList<>();
            s.popMany(count, RANDOM, limits(c), m -> {
                r.bulk(m);
                if (batch.isEmpty()) {
                    batch.add(Effects.SREM);
                    batch.add(key);
                }
                batch.add(m);
                if (batch.size() == 2 + SPOP_PROPAGATE_BATCH) {
                    c.alsoPropagate(batch.toArray(new byte[0][]));
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) {
                c.alsoPropagate(batch.toArray(new byte[0][]));
            }
            c.preventPropagation();
        }
        c.keyModified(c.db(), key);
    }

    /** Members per SREM when SPOP with a count is propagated. */
    private static final int SPOP_PROPAGATE_BATCH = 1024;

    // ---------------------------------------------------------------- single-set reads

    static void scard(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.size());
    }

    static void sismember(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        c.reply().integer(s != null && s.contains(c.arg(2)) ? 1 : 0);
    }

    static void smismember(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            r.integer(s != null && s.contains(c.arg(i)) ? 1 : 0);
        }
    }

    static void smembers(CommandContext c) {
        SetValue s = readSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        if (s == null) {
            r.setHeader(0);
            return;
        }
        r.setHeader(s.size());
        s.forEach(r::bulk);
    }

    /** SRANDMEMBER key [count]. */
    static void srandmember(CommandContext c) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        ReplyWriter r = c.reply();
        if (c.argc() == 2) {
            SetValue s = readSet(c, c.arg(1));
            if (s == null) {
                r.nullBulk();
            } else {
                r.bulk(s.randomMember(RANDOM));
            }
            return;
        }
        long l = c.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw new CommandError(RANGE_ERROR);
        }
        SetValue s = readSet(c, c.arg(1));
        if (s == null || l == 0) {
            r.emptyArray();
            return;
        }
        boolean unique = l > 0;
        long count = unique ? Math.min(l, s.size()) : -l;
        if (count > Integer.MAX_VALUE) {
            // Redis would stream until the output buffer limit closes the client; we refuse up front
            throw new CommandError("ERR value is out of range");
        }
        r.arrayHeader((int) count);
        s.randomMembers(count, unique, RANDOM, r::bulk);
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
    static void sscan(CommandContext c) {
        long cursor = ScanArgs.parseCursor(c.arg(2));
        SetValue s = readSet(c, c.arg(1));
        if (s == null) {
            ScanArgs.replyEmpty(c);
            return;
        }
        ScanArgs a = ScanArgs.parseOptions(c, 3, false);
        List<byte[]> out = new ArrayList<>();
        long[] visited = {0};
        long maxIterations = a.count * 10;
        // as Redis 7.2: COUNT bounds the members gathered before the MATCH filter
        do {
            cursor = s.scan(cursor, m -> {
                visited[0]++;
                if (a.matches(m)) {
                    out.add(m);
                }
            });
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < a.count);
        ReplyWriter r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.arrayHeader(out.size());
        writeMembers(r, out);
    }

    // ---------------------------------------------------------------- multi-set operations

    /** Looks up the sets at {@code argv[from, from+n)}: null for a missing key, WRONGTYPE for another type. */
    private static SetValue[] lookupSets(CommandContext c, int from, int n) {
        SetValue[] sets = new SetValue[n];
        for (int j = 0; j < n; j++) {
            sets[j] = asSet(c.lookupRead(c.arg(from + j)));
        }
        return sets;
    }

    /** Stores {@code result} at {@code dstKey} (replacing any value) or deletes the key when empty; replies. */
    private static void store(CommandContext c, byte[] dstKey, SetValue result, String event) {
        Database db = c.db();
        if (result == null || result.size() == 0) {
            if (db.remove(dstKey) != null) {
                c.keyModified(db, dstKey);
                c.notify(KeyspaceEvents.GENERIC, "del", db, dstKey);
            }
            c.reply().integer(0);
            return;
        }
        db.put(dstKey, result);
        c.keyModified(db, dstKey);
        c.notify(KeyspaceEvents.SET, event, db, dstKey);
        c.reply().integer(result.size());
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(CommandContext c) {
        long numkeys = c.longArg(1, "ERR numkeys should be greater than 0");
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc() - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "limit") && more > 0) {
                j++;
                limit = c.longArg(j, "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        sinterGeneric(c, 2, (int) numkeys, null, true, limit);
    }

    /** SINTER, SINTERSTORE and SINTERCARD: iterate the smallest set, keep members all others contain. */
    static void sinterGeneric(CommandContext c, int from, int n, byte[] dstKey, boolean cardinalityOnly,
                              long limit) {
        SetValue[] sets = lookupSets(c, from, n);
        ReplyWriter r = c.reply();
        boolean empty = false;
        for (SetValue s : sets) {
            empty |= s == null;
        }
        if (empty) {
            if (dstKey != null) {
                store(c, dstKey, null, "sinterstore");
            } else if (cardinalityOnly) {
                r.integer(0);
            } else {
                r.setHeader(0);
            }
            return;
        }
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        SetValue first = sorted[0];
        List<byte[]> out = new ArrayList<>();
        long[] card = {0};
        first.forEach(m -> {
            if (cardinalityOnly && limit > 0 && card[0] >= limit) {
                return;
            }
            for (int j = 1; j < sorted.length; j++) {
                if (sorted[j] != first && !sorted[j].contains(m)) {
                    return;
                }
            }
            card[0]++;
            if (!cardinalityOnly) {
                out.add(m);
            }
        });
        if (cardinalityOnly) {
            r.integer(card[0]);
            return;
        }
        if (dstKey == null) {
            r.setHeader(out.size());
            writeMembers(r, out);
            return;
        }
        SetLimits limits = limits(c);
        SetValue result = SetValue.intersectionTarget(dstKey, first);
        boolean onlyIntegers = true;
        for (byte[] m : out) {
            onlyIntegers &= Numbers.isLong(m);
            result.add(m, limits);
        }
        if (onlyIntegers) {
            result.maybeConvertToIntset(limits);
        }
        store(c, dstKey, result, "sinterstore");
    }

    /** SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE: the result builds up in a set that starts as an intset. */
    static void sunionDiffGeneric(CommandContext c, int from, byte[] dstKey, boolean union) {
        int n = c.argc() - from;
        SetValue[] sets = lookupSets(c, from, n);
        SetLimits limits = limits(c);
        SetValue result = SetValue.createIntset(dstKey != null ? dstKey : c.arg(from));
        if (union) {
            for (SetValue s : sets) {
                if (s != null) {
                    s.forEach(m -> result.add(m, limits));
                }
            }
        } else if (sets[0] != null) {
            boolean sameSet = false;
            for (int j = 1; j < n; j++) {
                sameSet |= sets[j] == sets[0];
            }
            if (!sameSet) {
                sets[0].forEach(m -> {
                    for (int j = 1; j < n; j++) {
                        if (sets[j] != null && sets[j].contains(m)) {
                            return;
                        }
                    }
                    result.add(m, limits);
                });
            }
        }
        if (dstKey != null) {
            store(c, dstKey, result, union ? "sunionstore" : "sdiffstore");
            return;
        }
        ReplyWriter r = c.reply();
        r.setHeader(result.size());
        result.forEach(r::bulk);
    }
}
