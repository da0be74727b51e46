package dev.peregrine.server.command.keys;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Effects;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.GlobMatcher;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyspace commands (Redis's db.c and expire.c handlers): they work through {@link Entry} and
 * {@link Database} only, so every value type plugs in. Executor-only.
 */
public final class KeyCommands {
    static final String SAME_OBJECT = "ERR source and destination objects are the same";
    static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not "
            + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take "
            + "some time to adjust.";
    static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
            + "note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    static final String INVALID_CURSOR = "ERR invalid cursor";
    /** OBJECT REFCOUNT of a shared small integer (Redis's OBJ_SHARED_REFCOUNT). */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS). */
    static final long SHARED_INTEGERS = 10000;
    static final int LRU_CLOCK_MAX = (1 << 24) - 1;

    private KeyCommands() {
    }

    public static void register(CommandTable t) {
        t.register("del", KeyCommands::del);
        t.register("unlink", KeyCommands::del);
        t.register("exists", KeyCommands::exists);
        t.register("type", KeyCommands::type);
        t.register("touch", KeyCommands::touch);
        t.register("rename", c -> rename(c, false));
        t.register("renamenx", c -> rename(c, true));
        t.register("move", KeyCommands::move);
        t.register("copy", KeyCommands::copy);
        t.register("expire", c -> expire(c, 1000, false));
        t.register("pexpire", c -> expire(c, 1, false));
        t.register("expireat", c -> expire(c, 1000, true));
        t.register("pexpireat", c -> expire(c, 1, true));
        t.register("ttl", c -> ttl(c, false, false));
        t.register("pttl", c -> ttl(c, true, false));
        t.register("expiretime", c -> ttl(c, false, true));
        t.register("pexpiretime", c -> ttl(c, true, true));
        t.register("persist", KeyCommands::persist);
        t.register("keys", KeyCommands::keys);
        t.register("scan", KeyCommands::scan);
        t.register("randomkey", KeyCommands::randomkey);
        t.register("dbsize", c -> c.reply().integer(c.db().size()));
        t.register("flushdb", c -> flush(c, false));
        t.register("flushall", c -> flush(c, true));
        t.register("swapdb", KeyCommands::swapdb);
        t.register("object|encoding", KeyCommands::objectEncoding);
        t.register("object|refcount", KeyCommands::objectRefcount);
        t.register("object|idletime", KeyCommands::objectIdletime);
        t.register("object|freq", KeyCommands::objectFreq);
        t.register("object|help", KeyCommands::objectHelp);
    }

    // ---------------------------------------------------------------- shared helpers

    /**
     * A read that neither updates the access clock nor needs a type (EXISTS, TYPE, TTL): lazy expiry, keyspace
     * hit/miss counting and the {@code keymiss} event only.
     */
    static Object lookupNoTouch(CommandContext c, Database db, byte[] key) {
        Object e = lookupNoTouchNoNotify(c, db, key);
        if (e == null) {
            c.notify(KeyspaceEvents.KEY_MISS, "keymiss", db, key);
        }
        return e;
    }

    /** {@link #lookupNoTouch} without the {@code keymiss} event (OBJECT, as Redis's LOOKUP_NONOTIFY). */
    static Object lookupNoTouchNoNotify(CommandContext c, Database db, byte[] key) {
        Object e = db.lookup(key, c.now());
        if (e == null) {
            c.engine().stats().keyspaceMisses++;
        } else {
            c.engine().stats().keyspaceHits++;
        }
        return e;
    }

    /**
     * Argument {@code i} as a 32-bit integer, as Redis's getIntFromObjectOrReply: {@code error} when given, else
     * the not-an-integer or the out-of-range error.
     */
    static int intArg(CommandContext c, int i, String error) {
        long v = c.longArg(i, error != null ? error : Errors.NOT_INTEGER);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError(error != null ? error
                    : "ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) v;
    }

    static Database dbOrError(CommandContext c, long index) {
        if (index < 0 || index >= c.engine().databaseCount()) {
            throw new CommandError(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        return c.engine().db((int) index);
    }

    /**
     * The entry {@code e} (of any type, already removed from its table) under {@code newKey} with the same value,
     * expiry and access clock: a new packed array for a string, the same object re-keyed otherwise.
     */
    static Object rekeyed(Object e, byte[] newKey) {
        if (e instanceof byte[]) {
            byte[] s = (byte[]) e;
            return StringEntry.create(newKey, s, StringEntry.valueOffset(s), StringEntry.valueLength(s),
                    StringEntry.expireAt(s), StringEntry.isRaw(s), StringEntry.accessClock(s));
        }
        return Database.rekey((ObjectEntry) e, newKey);
    }

    // ---------------------------------------------------------------- DEL UNLINK EXISTS TYPE TOUCH

    /** DEL / UNLINK key [key ...]: how many existed (and were removed). */
    static void del(CommandContext c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            byte[] key = c.arg(i);
            if (db.lookup(key, c.now()) != null) {
                db.remove(key);
                c.keyModified(db, key);
                c.notify(KeyspaceEvents.GENERIC, "del", db, key);
                n++;
            }
        }
        c.reply().integer(n);
    }

    /** EXISTS key [key ...]: how many of the named keys exist, a key named twice counting twice. */
    static void exists(CommandContext c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (lookupNoTouch(c, db, c.arg(i)) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    /** TYPE key: the type name as a status reply, {@code none} when absent. */
    static void type(CommandContext c) {
        Object e = lookupNoTouch(c, c.db(), c.arg(1));
        c.reply().simpleString(e == null ? "none" : Entry.type(e).typeName());
    }

    /**
     * TOUCH key [key ...]: updates the access clocks, even for a client that set CLIENT NO-TOUCH (as Redis 7.2);
     * how many keys exist.
     */
    static void touch(CommandContext c) {
        Database db = c.db();
        int clock = Engine.lruClock(c.now());
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            Object e = lookupNoTouch(c, db, c.arg(i));
            if (e != null) {
                Entry.accessClock(e, clock);
                n++;
            }
        }
        c.reply().integer(n);
    }

    // ---------------------------------------------------------------- RENAME RENAMENX MOVE COPY

    /** RENAME / RENAMENX src dst: moves the value and its TTL; RENAMENX leaves an existing dst alone. */
    static void rename(CommandContext c, boolean nx) {
        Database db = c.db();
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        Object e = c.lookupWrite(src);
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (java.util.Arrays.equals(src, dst)) {
            if (nx) {
                c.reply().integer(0);
            } else {
                c.reply().ok();
            }
            return;
        }
        if (c.lookupWrite(dst) != null) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.remove(dst);
        }
        db.remove(src);
        db.put(dst, rekeyed(e, dst));
        c.keyModified(db, src);
        c.keyModified(db, dst);
        c.signalKeyAsReady(db, dst);
        c.dirty(-1); // Redis counts a rename as one change; both keys still had to be signalled
        c.notify(KeyspaceEvents.GENERIC, "rename_from", db, src);
        c.notify(KeyspaceEvents.GENERIC, "rename_to", db, dst);
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    /** MOVE key db: moves the key (with its TTL) to another database unless the key exists there. */
    static void move(CommandContext c) {
        Database src = c.db();
        int index = intArg(c, 2, null);
        Database dst = dbOrError(c, index);
        if (dst == src) {
            throw new CommandError(SAME_OBJECT);
        }
        byte[] key = c.arg(1);
        Object e = c.lookupWrite(key);
        if (e == null || dst.lookupForWrite(key, c.now()) != null) {
            c.reply().integer(0);
            return;
        }
        src.remove(key);
        dst.put(key, e);
        c.keyModified(src, key);
        c.keyModified(dst, key);
        c.signalKeyAsReady(dst, key);
        c.dirty(-1); // one change for Redis, two keys signalled
        c.notify(KeyspaceEvents.GENERIC, "move_from", src, key);
        c.notify(KeyspaceEvents.GENERIC, "move_to", dst, key);
        c.reply().integer(1);
    }

    /** COPY src dst [DB index] [REPLACE]: copies the value and its TTL. */
    static void copy(CommandContext c) {
        Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "replace")) {
                replace = true;
            } else if (c.argIs(i, "db") && i + 1 < c.argc()) {
                dst = dbOrError(c, c.longArg(i + 1));
                i++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        byte[] newKey = c.arg(2);
        if (src == dst && java.util.Arrays.equals(key, newKey)) {
            throw new CommandError(SAME_OBJECT);
        }
        Object e = c.lookupWrite(key);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        if (dst.lookupForWrite(newKey, c.now()) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.remove(newKey);
        }
        Object copy;
        if (e instanceof byte[]) {
            byte[] s = (byte[]) e;
            copy = StringEntry.create(newKey, s, StringEntry.valueOffset(s), StringEntry.valueLength(s),
                    StringEntry.expireAt(s), StringEntry.isRaw(s), Engine.lruClock(c.now()));
        } else {
            ObjectEntry o = ((ObjectEntry) e).copyAs(newKey);
            Database.expireAt(o, Entry.expireAt(e));
            Entry.accessClock(o, Engine.lruClock(c.now()));
            copy = o;
        }
        dst.put(newKey, copy);
        c.keyModified(dst, newKey);
        c.notify(KeyspaceEvents.GENERIC, "copy_to", dst, newKey);
        c.signalKeyAsReady(dst, newKey);
        c.reply().integer(1);
    }

    // ---------------------------------------------------------------- EXPIRE family, TTL family, PERSIST

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    /**
     * EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT key time [NX|XX|GT|LT]: 1 when the expiry was set (or the key
     * deleted, a time already past), 0 when the key is absent or a condition failed.
     *
     * @param unitMs 1000 for seconds, 1 for milliseconds
     * @param absolute whether the time is a unix time rather than relative to now
     */
    static void expire(CommandContext c, long unitMs, boolean absolute) {
        int flags = 0;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "nx")) {
                flags |= NX;
            } else if (c.argIs(i, "xx")) {
                flags |= XX;
            } else if (c.argIs(i, "gt")) {
                flags |= GT;
            } else if (c.argIs(i, "lt")) {
                flags |= LT;
            } else {
                throw new CommandError("ERR Unsupported option " + c.argString(i));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        long when = c.longArg(2);
        String invalid = String.format(Errors.INVALID_EXPIRE, c.command().spec().fullName());
        if (unitMs == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandError(invalid);
            }
            when *= 1000;
        }
        long base = absolute ? 0 : c.now();
        if (when > Long.MAX_VALUE - base) {
            throw new CommandError(invalid);
        }
        when += base;
        Database db = c.db();
        byte[] key = c.arg(1);
        Object e = c.lookupWrite(key);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        if (flags != 0) {
            long current = Entry.expireAt(e);
            boolean persistent = current == Entry.NO_EXPIRE;
            if ((flags & NX) != 0 && !persistent
                    || (flags & XX) != 0 && persistent
                    || (flags & GT) != 0 && (persistent || when <= current)
                    || (flags & LT) != 0 && !persistent && when >= current) {
                c.reply().integer(0);
                return;
            }
        }
        if (when <= c.now()) {
            db.remove(key);
            if (c.propagating()) {
                c.propagateAs(Effects.delete(c.engine().config().boolValue("lazyfree-lazy-expire")), key);
            }
        } else {
            db.setExpire(key, when);
            if (c.propagating()) {
                c.propagateAs(Effects.PEXPIREAT, key, Effects.number(when));
            }
        }
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.GENERIC, when <= c.now() ? "del" : "expire", db, key);
        c.reply().integer(1);
    }

    /**
     * TTL / PTTL / EXPIRETIME / PEXPIRETIME key: -2 when absent, -1 without expiry, else the remaining time (or the
     * unix time) in seconds (rounded to nearest) or ms.
     */
    static void ttl(CommandContext c, boolean ms, boolean absolute) {
        Object e = lookupNoTouch(c, c.db(), c.arg(1));
        if (e == null) {
            c.reply().integer(-2);
            return;
        }
        long at = Entry.expireAt(e);
        if (at == Entry.NO_EXPIRE) {
            c.reply().integer(-1);
            return;
        }
        long v = absolute ? at : Math.max(0, at - c.now());
        // seconds rounded to nearest, without overflowing near Long.MAX_VALUE
        c.reply().integer(ms ? v : v / 1000 + (v % 1000 >= 500 ? 1 : 0));
    }

    /** PERSIST key: 1 when an expiry was removed. */
    static void persist(CommandContext c) {
        byte[] key = c.arg(1);
        Object e = c.lookupWrite(key);
        if (e == null || Entry.expireAt(e) == Entry.NO_EXPIRE) {
            c.reply().integer(0);
            return;
        }
        Database db = c.db();
        db.setExpire(key, Entry.NO_EXPIRE);
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.GENERIC, "persist", db, key);
        c.reply().integer(1);
    }

    // ---------------------------------------------------------------- KEYS SCAN RANDOMKEY

    /** Whether the key of entry {@code e} matches the glob pattern; a string's key is matched in place. */
    static boolean keyMatches(byte[] pattern, Object e) {
        if (e instanceof byte[]) {
            byte[] s = (byte[]) e;
            return GlobMatcher.matches(pattern, 0, pattern.length, s, StringEntry.keyOffset(s),
                    StringEntry.keyLength(s), false);
        }
        return GlobMatcher.matches(pattern, Entry.key(e), false);
    }

    /** KEYS pattern: every live key matching the glob pattern, in table order. */
    static void keys(CommandContext c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        long now = c.now();
        List<byte[]> out = new ArrayList<>();
        c.db().forEach(e -> {
            long at = Entry.expireAt(e);
            if (at != Entry.NO_EXPIRE && at <= now) {
                return;
            }
            if (all || keyMatches(pattern, e)) {
                out.add(Entry.key(e));
            }
        });
        ReplyWriter r = c.reply();
        r.arrayHeader(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    /**
     * SCAN's cursor: Redis parses it with {@code strtoull}, so a sign is allowed (a negative number wraps), an
     * empty string is 0, and leading space, trailing garbage or overflow are {@code ERR invalid cursor}.
     */
    static long parseCursor(byte[] a) {
        int i = 0;
        boolean negative = false;
        if (a.length == 0) {
            return 0;
        }
        if (a[0] == '+' || a[0] == '-') {
            negative = a[0] == '-';
            i++;
        }
        if (i == a.length) {
            throw new CommandError(INVALID_CURSOR);
        }
        long v = 0;
        for (; i < a.length; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError(INVALID_CURSOR);
            }
            // v * 10 + d must stay within 2^64 - 1
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandError(INVALID_CURSOR);
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new CommandError(INVALID_CURSOR);
            }
            v = next;
        }
        return negative ? -v : v;
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: one step of a reverse-binary cursor scan. */
    static void scan(CommandContext c) {
        long cursor = parseCursor(c.arg(1));
        long count = 10;
        byte[] pattern = null;
        String typeName = null;
        for (int i = 2; i < c.argc(); i++) {
            boolean hasValue = i + 1 < c.argc();
            if (c.argIs(i, "count") && hasValue) {
                count = c.longArg(i + 1);
                if (count < 1) {
                    throw new CommandError(Errors.SYNTAX);
                }
                i++;
            } else if (c.argIs(i, "match") && hasValue) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
                i++;
            } else if (c.argIs(i, "type") && hasValue) {
                typeName = c.argString(i + 1);
                i++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        // an unknown type name matches nothing, as Redis 7.2 answers (no error)
        ValueType type = typeName == null ? null : ValueType.byName(typeName);
        boolean typeFilter = typeName != null;
        Database db = c.db();
        List<byte[]> found = new ArrayList<>();
        final byte[] pat = pattern;
        // Redis multiplies without checking; a COUNT that overflows there means "no limit" in effect
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            cursor = db.scan(cursor, e -> {
                if (typeFilter && Entry.type(e) != type) {
                    return;
                }
                if (pat == null || keyMatches(pat, e)) {
                    found.add(Entry.key(e));
                }
            });
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        long now = c.now();
        int live = 0;
        for (int i = 0; i < found.size(); i++) {
            byte[] key = found.get(i);
            // expired keys are deleted here as Redis does, and left out
            if (db.lookup(key, now) != null) {
                found.set(live++, key);
            }
        }
        ReplyWriter r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.arrayHeader(live);
        for (int i = 0; i < live; i++) {
            r.bulk(found.get(i));
        }
    }

    /** RANDOMKEY: a random live key, or a null bulk when the database is empty. */
    static void randomkey(CommandContext c) {
        Database db = c.db();
        long now = c.now();
        while (true) {
            Object e = db.randomEntry();
            if (e == null) {
                c.reply().nullBulk();
                return;
            }
            byte[] key = Entry.key(e);
            long at = Entry.expireAt(e);
            if (at != Entry.NO_EXPIRE && at <= now) {
                db.lookup(key, now); // deletes it; try again
                continue;
            }
            c.reply().bulk(key);
            return;
        }
    }

    // ---------------------------------------------------------------- FLUSHDB FLUSHALL SWAPDB

    /** FLUSHDB / FLUSHALL [ASYNC|SYNC]: removes every key of the database (or of all); both modes are synchronous. */
    static void flush(CommandContext c, boolean all) {
        if (c.argc() > 2 || c.argc() == 2 && !c.argIs(1, "sync") && !c.argIs(1, "async")) {
            throw new CommandError(Errors.SYNTAX);
        }
        long removed = 0;
        if (all) {
            c.engine().snapshots().beforeFlushAll();
            for (int i = 0; i < c.engine().databaseCount(); i++) {
                Database db = c.engine().db(i);
                c.engine().watchedKeys().touchAllInDb(db, null, c.now()); // while the keys are still there
                removed += db.size();
                db.clear();
            }
        } else {
            Database db = c.db();
            c.engine().watchedKeys().touchAllInDb(db, null, c.now());
            removed = db.size();
            db.clear();
        }
        if (all) {
            c.engine().snapshots().afterFlushAll();
        }
        c.engine().tracking().invalidateAll();
        c.dirty(removed);
        c.forcePropagation(); // propagated even when there was nothing to remove, as Redis
        c.reply().ok();
    }

    /** SWAPDB index1 index2: exchanges the contents of two databases; clients see the swap at once. */
    static void swapdb(CommandContext c) {
        int a = intArg(c, 1, "ERR invalid first DB index");
        int b = intArg(c, 2, "ERR invalid second DB index");
        int n = c.engine().databaseCount();
        if (a < 0 || a >= n || b < 0 || b >= n) {
            throw new CommandError(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        if (a != b) {
            // transactions watching keys of either database fail (before the swap: both contents are compared)
            c.engine().watchedKeys().touchAllInDb(c.engine().db(a), c.engine().db(b), c.now());
            c.engine().watchedKeys().touchAllInDb(c.engine().db(b), c.engine().db(a), c.now());
            Database.swap(c.engine().db(a), c.engine().db(b));
            // clients stay blocked on the index: keys they wait on may now be served
            c.signalWaitedKeys(c.engine().db(a));
            c.signalWaitedKeys(c.engine().db(b));
        }
        c.dirty(1);
        c.reply().ok();
    }

    // ---------------------------------------------------------------- OBJECT

    /** The entry OBJECT inspects: no access-clock update; null (and a null reply written) when absent. */
    private static Object objectLookup(CommandContext c) {
        Object e = lookupNoTouchNoNotify(c, c.db(), c.arg(2));
        if (e == null) {
            c.reply().nullBulk();
        }
        return e;
    }

    private static String policy(CommandContext c) {
        return c.engine().config().stringValue("maxmemory-policy");
    }

    static boolean lfuPolicy(CommandContext c) {
        return policy(c).endsWith("-lfu");
    }

    static void objectEncoding(CommandContext c) {
        Object e = objectLookup(c);
        if (e != null) {
            c.reply().bulk(Entry.encoding(e));
        }
    }

    /**
     * OBJECT REFCOUNT: strings holding 0..9999 are shared objects in Redis (unless maxmemory with an LRU/LFU
     * policy forbids sharing), answering INT_MAX; every other value answers 1.
     */
    static void objectRefcount(CommandContext c) {
        Object e = objectLookup(c);
        if (e == null) {
            return;
        }
        long refcount = 1;
        if (e instanceof byte[] && !StringEntry.isRaw((byte[]) e)) {
            byte[] s = (byte[]) e;
            String p = policy(c);
            boolean sharingAllowed = c.engine().config().longValue("maxmemory") == 0
                    || !(p.endsWith("-lru") || p.endsWith("-lfu"));
            int off = StringEntry.valueOffset(s);
            int len = s.length - off;
            if (sharingAllowed && len <= 4) {
                long v = Numbers.parseLong(s, off, len);
                if (v != Numbers.NOT_A_LONG && v >= 0 && v < SHARED_INTEGERS) {
                    refcount = SHARED_REFCOUNT;
                }
            }
        }
        c.reply().integer(refcount);
    }

    /** OBJECT IDLETIME: seconds since the last access, from the 24-bit LRU clock (wrapping as Redis's does). */
    static void objectIdletime(CommandContext c) {
        Object e = lookupNoTouchNoNotify(c, c.db(), c.arg(2));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (lfuPolicy(c)) {
            throw new CommandError(LFU_SELECTED);
        }
        c.reply().integer(idleSeconds(Engine.lruClock(c.now()), Entry.accessClock(e) & LRU_CLOCK_MAX));
    }

    static long idleSeconds(int clock, int accessed) {
        return clock >= accessed ? clock - accessed : clock + (LRU_CLOCK_MAX - accessed);
    }

    /** OBJECT FREQ: the logarithmic access counter, decayed by the minutes since the last access. */
    static void objectFreq(CommandContext c) {
        Object e = lookupNoTouchNoNotify(c, c.db(), c.arg(2));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (!lfuPolicy(c)) {
            throw new CommandError(LFU_NOT_SELECTED);
        }
        c.reply().integer(lfuDecayed(Entry.accessClock(e), c.now(), c.engine().config().longValue("lfu-decay-time")));
    }

    /**
     * The LFU counter of an access word (16-bit minutes time, 8-bit counter) after decaying one step per
     * {@code decayMinutes} elapsed.
     */
    static long lfuDecayed(int word, long nowMs, long decayMinutes) {
        int lastMinutes = (word >>> 8) & 0xffff;
        int counter = word & 0xff;
        int nowMinutes = (int) ((nowMs / 1000 / 60) & 0xffff);
        long elapsed = nowMinutes >= lastMinutes ? nowMinutes - lastMinutes : 65535 - lastMinutes + nowMinutes;
        long periods = decayMinutes > 0 ? elapsed / decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Tell which internal representation holds the value of <key>.",
        "FREQ <key>",
        "    Tell the logarithmic access-frequency counter of <key> (LFU policies only).",
        "IDLETIME <key>",
        "    Tell how many seconds passed since <key> was last accessed (not with LFU policies).",
        "REFCOUNT <key>",
        "    Tell how many references the value of <key> has.",
        "HELP",
        "    Print this help.",
    };

    static void objectHelp(CommandContext c) {
        ReplyWriter r = c.reply();
        r.arrayHeader(OBJECT_HELP.length);
        for (String line : OBJECT_HELP) {
            r.simpleString(line);
        }
    }
}
