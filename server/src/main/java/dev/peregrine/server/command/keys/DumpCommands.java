package dev.peregrine.server.command.keys;

import dev.peregrine.persistence.rdb.DumpPayload;
import dev.peregrine.persistence.rdb.RdbEncoder;
import dev.peregrine.persistence.rdb.RdbFormatException;
import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.persistence.rdb.RdbValue;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.server.persistence.Snapshots;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;

/**
 * DUMP and RESTORE (Redis's cluster.c): a key's value as a self-checking RDB payload ({@link DumpPayload}: type,
 * value, RDB version, CRC-64), and a key created back from one. Payloads are written as RDB version 10, so a Redis
 * 7.0 server restores them; versions up to 11 (Redis 7.2) are restored. Executor-only.
 */
public final class DumpCommands {
    static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    static final String BAD_FORMAT = "ERR Bad data format";
    static final String BAD_TTL = "ERR Invalid TTL value, must be >= 0";
    static final String BAD_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    static final String BAD_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
    /** Redis's LRU_CLOCK_MAX: the 24-bit access clock wraps here. */
    private static final int LRU_CLOCK_MAX = (1 << 24) - 1;

    private DumpCommands() {
    }

    public static void register(CommandTable t) {
        t.register("dump", DumpCommands::dump);
        t.register("restore", DumpCommands::restore);
    }

    /** DUMP key: the serialized value as a bulk string, null when the key does not exist. */
    static void dump(CommandContext c) {
        Object e = c.lookupRead(c.arg(1));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        boolean compression = c.engine().config().boolValue("rdbcompression");
        c.reply().bulk(DumpPayload.create(e, new RdbEncoder(), compression));
    }

    /**
     * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], checked in Redis's
     * order: options (syntax, IDLETIME/FREQ ranges; the two exclude each other), an existing key without REPLACE
     * (BUSYKEY), the TTL, the payload's version and checksum, then its contents. A TTL already in the past
     * deletes the key (with REPLACE) and creates nothing. IDLETIME sets the access time under an LRU-style policy,
     * FREQ the access counter under an LFU policy, as Redis's {@code objectSetLRUOrLFU}.
     */
    static void restore(CommandContext c) {
        long lfuFreq = -1;
        long lruIdle = -1;
        boolean replace = false;
        boolean absTtl = false;
        for (int j = 4; j < c.argc(); j++) {
            int additional = c.argc() - j - 1;
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absTtl = true;
            } else if (c.argIs(j, "idletime") && additional >= 1 && lfuFreq == -1) {
                lruIdle = c.longArg(j + 1);
                if (lruIdle < 0) {
                    throw new CommandError(BAD_IDLETIME);
                }
                j++;
            } else if (c.argIs(j, "freq") && additional >= 1 && lruIdle == -1) {
                lfuFreq = c.longArg(j + 1);
                if (lfuFreq < 0 || lfuFreq > 255) {
                    throw new CommandError(BAD_FREQ);
                }
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        if (!replace && c.lookupWrite(key) != null) {
            throw new CommandError(BUSYKEY);
        }
        long ttl = c.longArg(2);
        if (ttl < 0) {
            throw new CommandError(BAD_TTL);
        }
        byte[] payload = c.arg(3);
        if (!DumpPayload.verify(payload)) {
            throw new CommandError(BAD_PAYLOAD);
        }
        RdbValue value;
        try {
            value = DumpPayload.decode(payload, key);
        } catch (RdbFormatException e) {
            value = null;
        }
        if (value == null) {
            throw new CommandError(BAD_FORMAT);
        }
        Database db = c.db();
        long now = c.now();
        boolean deleted = replace && db.remove(key) != null;
        if (ttl != 0 && !absTtl) {
            ttl += now;
        }
        if (ttl != 0 && ttl <= now) {
            if (deleted) {
                c.keyModified(db, key);
                c.notify(KeyspaceEvents.GENERIC, "del", db, key);
            }
            c.reply().ok();
            return;
        }
        Engine engine = c.engine();
        RdbLoader loader = new RdbLoader(Snapshots.loaderOptions(engine.config(), engine.databaseCount()), now,
                                         Engine.lruClock(now));
        Object entry = loader.entry(key, value, ttl != 0 ? ttl : Entry.NO_EXPIRE);
        boolean lfu = engine.config().stringValue("maxmemory-policy").endsWith("-lfu");
        if (lfu && lfuFreq >= 0) {
            Entry.accessClock(entry, (int) (((now / 60_000) & 0xffff) << 8 | lfuFreq));
        } else if (!lfu && lruIdle >= 0) {
            long abs = Engine.lruClock(now) - lruIdle;
            if (abs < 0) {
                abs += LRU_CLOCK_MAX;
            }
            Entry.accessClock(entry, (int) (abs & LRU_CLOCK_MAX));
        }
        db.put(key, entry);
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.GENERIC, "restore", db, key);
        c.signalKeyAsReady(db, key);
        c.reply().ok();
    }
}
