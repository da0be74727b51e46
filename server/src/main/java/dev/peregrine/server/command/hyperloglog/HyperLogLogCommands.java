package dev.peregrine.server.command.hyperloglog;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hll.HyperLogLog;
import dev.peregrine.storage.hll.HyperLogLogSelfTest;

import java.nio.charset.StandardCharsets;

/**
 * The HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. Values are
 * plain strings in Redis's HLL layout ({@link HyperLogLog}), so GET/SET carry them between servers.
 *
 * <p>Like Redis, every command that touches an existing HLL leaves it RAW-encoded (Redis unshares it); a
 * changed HLL is written as a new entry keeping the key's TTL, and PFCOUNT refreshes the cached cardinality in
 * place (after the database's write barrier). Executor-only.
 */
public final class HyperLogLogCommands {
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    private HyperLogLogCommands() {
    }

    public static void register(CommandTable t) {
        t.register("pfadd", HyperLogLogCommands::pfadd);
        t.register("pfcount", HyperLogLogCommands::pfcount);
        t.register("pfmerge", HyperLogLogCommands::pfmerge);
        t.register("pfdebug", HyperLogLogCommands::pfdebug);
        t.register("pfselftest", HyperLogLogCommands::pfselftest);
    }

    // ---------------------------------------------------------------- helpers

    /** Redis's isHLLObjectOrReply: the entry as an HLL string, or WRONGTYPE errors; null stays null. */
    private static byte[] asHll(Object o) {
        if (o == null) {
            return null;
        }
        if (!(o instanceof byte[])) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        byte[] e = (byte[]) o;
        int off = StringEntry.valueOffset(e);
        if (!HyperLogLog.isValid(e, off, e.length - off)) {
            throw new CommandError(NOT_HLL);
        }
        return e;
    }

    private static long sparseMaxBytes(CommandContext c) {
        return c.engine().config().longValue("hll-sparse-max-bytes");
    }

    /** Puts the HLL value as {@code key}'s new RAW entry, keeping {@code old}'s expiry (none when null). */
    private static byte[] store(CommandContext c, byte[] key, byte[] old, byte[] value, int len) {
        long at = old == null ? Entry.NO_EXPIRE : StringEntry.expireAt(old);
        byte[] e = StringEntry.create(key, value, 0, len, at, true, Engine.lruClock(c.now()));
        c.db().put(key, e);
        return e;
    }

    /** As Redis's dbUnshareStringValue: an existing entry is RAW from now on (same bytes otherwise). */
    private static byte[] unshare(CommandContext c, byte[] key, byte[] e) {
        if (StringEntry.isRaw(e)) {
            return e;
        }
        int off = StringEntry.valueOffset(e);
        byte[] raw = StringEntry.create(key, e, off, e.length - off, StringEntry.expireAt(e), true,
                StringEntry.accessClock(e));
        c.db().put(key, raw);
        return raw;
    }

    // ---------------------------------------------------------------- PFADD

    /** PFADD key [element ...]: 1 when the key was created or a register changed, else 0. */
    static void pfadd(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] e = asHll(c.lookupWrite(key));
        if (e != null && StringEntry.isRaw(e) && HyperLogLog.encoding(e, StringEntry.valueOffset(e)) == HyperLogLog.DENSE
                && e.length - StringEntry.valueOffset(e) == HyperLogLog.DENSE_SIZE) {
            // a dense HLL already written by us (RAW) changes in place, as SETBIT does: no 12 KB copy per call
            // (lookupWrite passed the write barrier, so a running snapshot kept the old value)
            int off = StringEntry.valueOffset(e);
            int updated = 0;
            for (int j = 2; j < c.argc(); j++) {
                updated += HyperLogLog.addDense(e, off, c.arg(j));
            }
            if (updated > 0) {
                c.keyModified(c.db(), key);
                c.notify(KeyspaceEvents.STRING, "pfadd", c.db(), key);
                c.dirty(updated - 1);
            }
            c.reply().integer(updated > 0 ? 1 : 0);
            return;
        }
        HyperLogLog h;
        int updated = 0;
        if (e == null) {
            h = HyperLogLog.create();
            updated++;
        } else {
            int off = StringEntry.valueOffset(e);
            h = HyperLogLog.copyOf(e, off, e.length - off);
        }
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, sparseMaxBytes(c));
        boolean corrupt = false;
        for (int j = 2; j < c.argc(); j++) {
            int r = h.add(c.arg(j), maxBytes);
            if (r == 1) {
                updated++;
            } else if (r < 0) {
                corrupt = true;
                break;
            }
        }
        if (updated > 0) {
            if (!corrupt) {
                h.invalidateCache();
            }
            store(c, key, e, h.array(), h.length());
            if (!corrupt) {
                c.keyModified(c.db(), key);
                c.notify(KeyspaceEvents.STRING, "pfadd", c.db(), key);
                c.dirty(updated - 1);
            }
        } else if (e != null) {
            unshare(c, key, e);
        }
        if (corrupt) {
            throw new CommandError(CORRUPT);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    // ---------------------------------------------------------------- PFCOUNT

    /**
     * PFCOUNT key [key ...]: one key's estimate, from its cache when current (else computed and cached); for
     * several keys, the estimate of their union (nothing cached).
     */
    static void pfcount(CommandContext c) {
        if (c.argc() > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < c.argc(); j++) {
                byte[] e = asHll(c.lookupRead(c.arg(j)));
                if (e == null) {
                    continue;
                }
                int off = StringEntry.valueOffset(e);
                if (!HyperLogLog.merge(max, e, off, e.length - off)) {
                    throw new CommandError(CORRUPT);
                }
            }
            c.reply().integer(HyperLogLog.countRegisters(max));
            return;
        }
        byte[] key = c.arg(1);
        byte[] e = asHll(c.lookupRead(key));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        e = unshare(c, key, e);
        int off = StringEntry.valueOffset(e);
        long card;
        if (HyperLogLog.cacheValid(e, off)) {
            card = HyperLogLog.cachedCount(e, off);
        } else {
            card = HyperLogLog.count(e, off, e.length - off);
            if (card < 0) {
                throw new CommandError(CORRUPT);
            }
            Database db = c.db();
            db.lookupForWrite(key, c.now()); // the write barrier sees the entry before the cache bytes change
            HyperLogLog.writeCache(e, off, card);
            c.keyModified(db, key);
        }
        c.reply().integer(card);
    }

    // ---------------------------------------------------------------- PFMERGE

    /** PFMERGE destkey [sourcekey ...]: destkey becomes the union of itself and the sources; OK. */
    static void pfmerge(CommandContext c) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < c.argc(); j++) {
            byte[] e = asHll(c.lookupRead(c.arg(j)));
            if (e == null) {
                continue;
            }
            int off = StringEntry.valueOffset(e);
            if (HyperLogLog.encoding(e, off) == HyperLogLog.DENSE) {
                useDense = true;
            }
            if (!HyperLogLog.merge(max, e, off, e.length - off)) {
                throw new CommandError(CORRUPT);
            }
        }
        byte[] key = c.arg(1);
        byte[] e = (byte[]) c.lookupWrite(key); // already checked as a source
        HyperLogLog h;
        if (e == null) {
            h = HyperLogLog.create();
        } else {
            int off = StringEntry.valueOffset(e);
            h = HyperLogLog.copyOf(e, off, e.length - off);
        }
        if (useDense && !h.toDense()) {
            throw new CommandError(CORRUPT);
        }
        long maxBytes = sparseMaxBytes(c);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                h.set(j, max[j], maxBytes);
            }
        }
        h.invalidateCache();
        store(c, key, e, h.array(), h.length());
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.STRING, "pfadd", c.db(), key);
        c.reply().ok();
    }

    // ---------------------------------------------------------------- PFDEBUG / PFSELFTEST

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key: internals of an HLL value, for tests. */
    static void pfdebug(CommandContext c) {
        byte[] key = c.arg(2);
        Object o = c.lookupWrite(key);
        if (o == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        byte[] e = unshare(c, key, asHll(o));
        int off = StringEntry.valueOffset(e);
        int len = e.length - off;
        ReplyWriter r = c.reply();
        boolean sparse = HyperLogLog.encoding(e, off) == HyperLogLog.SPARSE;
        if (c.argIs(1, "getreg")) {
            if (sparse) {
                e = toDense(c, key, e);
                off = StringEntry.valueOffset(e);
            }
            int[] regs = HyperLogLog.denseRegisters(e, off);
            r.arrayHeader(regs.length);
            for (int v : regs) {
                r.integer(v);
            }
        } else if (c.argIs(1, "decode")) {
            if (!sparse) {
                throw new CommandError("ERR HLL encoding is not sparse");
            }
            r.bulk(HyperLogLog.decodeSparse(e, off, len).getBytes(StandardCharsets.US_ASCII));
        } else if (c.argIs(1, "encoding")) {
            r.simpleString(sparse ? "sparse" : "dense");
        } else if (c.argIs(1, "todense")) {
            if (sparse) {
                toDense(c, key, e);
            }
            r.integer(sparse ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + c.argString(1) + "'");
        }
    }

    /** Stores the dense form of a sparse HLL entry (counted as a change, without signalling the key). */
    private static byte[] toDense(CommandContext c, byte[] key, byte[] e) {
        int off = StringEntry.valueOffset(e);
        HyperLogLog h = HyperLogLog.copyOf(e, off, e.length - off);
        if (!h.toDense()) {
            throw new CommandError(CORRUPT);
        }
        byte[] dense = store(c, key, e, h.array(), h.length());
        c.dirty(1);
        return dense;
    }

    /** PFSELFTEST: checks the register code and the estimator; OK, or a {@code TESTFAILED} error. */
    static void pfselftest(CommandContext c) {
        String failure = HyperLogLogSelfTest.run(sparseMaxBytes(c));
        if (failure != null) {
            throw new CommandError("TESTFAILED " + failure);
        }
        c.reply().ok();
    }
}
