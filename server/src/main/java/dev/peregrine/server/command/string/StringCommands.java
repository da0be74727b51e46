package dev.peregrine.server.command.string;

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
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.StringEntry;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The string commands (Redis's t_string.c): GET, SET and its variants, GETEX, GETDEL, MGET, MSET, MSETNX, APPEND,
 * STRLEN, the INCR family, INCRBYFLOAT, GETRANGE, SETRANGE, SUBSTR and LCS.
 *
 * <p>Values live as packed {@link StringEntry} arrays; every write builds a new entry and puts it into the
 * {@link Database}. Executor-only.
 */
public final class StringCommands {
    // option flags shared by SET and GETEX (Redis's OBJ_SET_* / OBJ_EX ... flags)
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int GET = 1 << 2;
    static final int KEEPTTL = 1 << 3;
    static final int PERSIST = 1 << 4;
    static final int EX = 1 << 5;
    static final int PX = 1 << 6;
    static final int EXAT = 1 << 7;
    static final int PXAT = 1 << 8;
    static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    /** The index of the expire-time argument is kept in the bits above this shift. */
    private static final int ARG_SHIFT = 16;
    private static final int FLAG_MASK = (1 << ARG_SHIFT) - 1;

    /** The smallest value proto-max-bulk-len accepts; shorter results need no look at the configuration. */
    private static final long MIN_PROTO_MAX_BULK_LEN = 1024 * 1024;

    static final String INVALID_OFFSET = "ERR offset is out of range";
    static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    static final String LCS_WRONGTYPE = "ERR The specified keys must contain string values";
    static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    static final String LCS_TOO_MUCH_MEMORY =
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    static final String LCS_ALLOC_FAILED = "ERR Insufficient memory, failed allocating transient memory for LCS";

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] MATCHES = "matches".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEN = "len".getBytes(StandardCharsets.US_ASCII);

    private StringCommands() {
    }

    public static void register(CommandTable t) {
        t.register("get", StringCommands::get);
        t.register("set", StringCommands::set);
        t.register("setnx", StringCommands::setnx);
        t.register("setex", c -> setWithTime(c, EX));
        t.register("psetex", c -> setWithTime(c, PX));
        t.register("getset", StringCommands::getset);
        t.register("getdel", StringCommands::getdel);
        t.register("getex", StringCommands::getex);
        t.register("mget", StringCommands::mget);
        t.register("mset", c -> msetGeneric(c, false));
        t.register("msetnx", c -> msetGeneric(c, true));
        t.register("append", StringCommands::append);
        t.register("strlen", StringCommands::strlen);
        t.register("incr", c -> incrDecr(c, 1));
        t.register("decr", c -> incrDecr(c, -1));
        t.register("incrby", c -> incrDecr(c, c.longArg(2)));
        t.register("decrby", StringCommands::decrby);
        t.register("incrbyfloat", StringCommands::incrbyfloat);
        t.register("getrange", StringCommands::getrange);
        t.register("substr", StringCommands::getrange);
        t.register("setrange", StringCommands::setrange);
        t.register("lcs", StringCommands::lcs);
    }

    // ---------------------------------------------------------------- shared helpers

    /** A new string entry for {@code key} with the whole of {@code value}, stamped with the access clock. */
    private static byte[] entry(CommandContext c, byte[] key, byte[] value, long expireAt, boolean raw) {
        return StringEntry.create(key, value, 0, value.length, expireAt, raw, Engine.lruClock(c.now()));
    }

    /** The string entry, or {@link CommandError} WRONGTYPE; null stays null. */
    private static byte[] asString(Object e) {
        if (e == null) {
            return null;
        }
        if (!(e instanceof byte[])) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (byte[]) e;
    }

    /**
     * The live entry of {@code key} for a command that will replace it with a new entry (entries are immutable,
     * so {@link Database#put} passes the write barrier; no in-place lookup is needed). No hit/miss counting, as
     * Redis's lookupKeyWrite.
     */
    private static Object lookupForReplace(CommandContext c, byte[] key) {
        return c.db().lookup(key, c.now());
    }

    private static void replyValue(ReplyWriter r, byte[] e) {
        int off = StringEntry.valueOffset(e);
        r.bulk(e, off, e.length - off);
    }

    /**
     * Redis's checkStringLength: a string of {@code size + append} bytes must not exceed proto-max-bulk-len (nor
     * what one Java array can hold).
     */
    private static void checkStringLength(CommandContext c, long size, long append) {
        long total = size + append;
        if (total <= MIN_PROTO_MAX_BULK_LEN && total >= 0) {
            return;
        }
        if (total < 0 || total > c.engine().config().longValue("proto-max-bulk-len")
                || total > Integer.MAX_VALUE - 64) {
            throw new CommandError(Errors.STRING_TOO_LONG);
        }
    }

    /** The integer value of a string entry, Redis's string2ll rules, or {@link CommandError} NOT_INTEGER. */
    private static long integerValue(byte[] e) {
        int off = StringEntry.valueOffset(e);
        int len = e.length - off;
        long v = Numbers.parseLong(e, off, len);
        if (v == Numbers.NOT_A_LONG && !isNotALongLiteral(e, off, len)) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
        return v;
    }

    private static boolean isNotALongLiteral(byte[] b, int off, int len) {
        byte[] lit = Numbers.toBytes(Numbers.NOT_A_LONG);
        return len == lit.length && java.util.Arrays.equals(b, off, off + len, lit, 0, len);
    }

    /**
     * Redis's getExpireMillisecondsOrReply: the expire argument at {@code argIndex} as an absolute unix time in
     * ms. Relative forms (EX, PX) are added to the command time; non-positive input and overflow are
     * {@code ERR invalid expire time in '<cmd>' command}; non-integers are {@link Errors#NOT_INTEGER}.
     */
    private static long expireAt(CommandContext c, int argIndex, int flags) {
        long v = c.longArg(argIndex);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(c);
        }
        if (seconds) {
            v *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            v += c.now(); // wraps on overflow, caught below as Redis does
        }
        if (v <= 0) {
            throw invalidExpire(c);
        }
        return v;
    }

    private static CommandError invalidExpire(CommandContext c) {
        return new CommandError(String.format(Errors.INVALID_EXPIRE, c.command().spec().fullName()));
    }

    /**
     * Redis's parseExtendedStringArgumentsOrReply over arguments {@code from..argc-1}: NX XX GET KEEPTTL (SET
     * only), PERSIST (GETEX only), EX PX EXAT PXAT with a value. Conflicting or unknown options are
     * {@link Errors#SYNTAX}.
     *
     * @return the flags, with the index of the expire value above {@link #ARG_SHIFT} when one was given
     */
    static int parseOptions(CommandContext c, int from, boolean forSet) {
        int flags = 0;
        int expireArg = 0;
        int argc = c.argc();
        for (int j = from; j < argc; j++) {
            boolean hasNext = j + 1 < argc;
            if (forSet && c.argIs(j, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && c.argIs(j, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && c.argIs(j, "get")) {
                flags |= GET;
            } else if (forSet && c.argIs(j, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!forSet && c.argIs(j, "persist") && (flags & (KEEPTTL | ANY_EXPIRE)) == 0) {
                flags |= PERSIST;
            } else if (c.argIs(j, "ex") && hasNext && (flags & (KEEPTTL | PERSIST | PX | EXAT | PXAT)) == 0) {
                flags |= EX;
                expireArg = ++j;
            } else if (c.argIs(j, "px") && hasNext && (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0) {
                flags |= PX;
                expireArg = ++j;
            } else if (c.argIs(j, "exat") && hasNext && (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0) {
                flags |= EXAT;
                expireArg = ++j;
            } else if (c.argIs(j, "pxat") && hasNext && (flags & (KEEPTTL | PERSIST | EX | PX | EXAT)) == 0) {
                flags |= PXAT;
                expireArg = ++j;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return flags | (expireArg << ARG_SHIFT);
    }

    // ---------------------------------------------------------------- GET and the SET family

    /** GET key: the value, null when absent, WRONGTYPE for other types. */
    static void get(CommandContext c) {
        byte[] e = c.lookupString(c.arg(1));
        if (e == null) {
            c.reply().nullBulk();
        } else {
            replyValue(c.reply(), e);
        }
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]. */
    static void set(CommandContext c) {
        int options = parseOptions(c, 3, true);
        setGeneric(c, options & FLAG_MASK, options >>> ARG_SHIFT, false);
    }

    /** SETNX key value: 1 when set, 0 when the key exists. */
    static void setnx(CommandContext c) {
        setGeneric(c, NX, 0, true);
    }

    /** SETEX key seconds value and PSETEX key ms value. */
    static void setWithTime(CommandContext c, int unitFlag) {
        long at = expireAt(c, 2, unitFlag);
        store(c, c.arg(1), c.arg(3), at);
        c.notify(KeyspaceEvents.GENERIC, "expire", c.db(), c.arg(1));
        propagateWithExpire(c, c.arg(3), at);
        c.reply().ok();
    }

    /**
     * The body of SET and SETNX (Redis's setGenericCommand).
     *
     * @param flags option flags
     * @param expireArg index of the expire value, 0 when none
     * @param integerReply SETNX's 1/0 reply instead of OK / null
     */
    static void setGeneric(CommandContext c, int flags, int expireArg, boolean integerReply) {
        byte[] key = c.arg(1);
        long at = Entry.NO_EXPIRE;
        if (expireArg != 0) {
            at = expireAt(c, expireArg, flags);
        }
        if ((flags & GET) != 0) {
            get(c);
        }
        Object existing = c.db().lookup(key, c.now());
        if (((flags & NX) != 0 && existing != null) || ((flags & XX) != 0 && existing == null)) {
            if (integerReply) {
                c.reply().integer(0);
            } else if ((flags & GET) == 0) {
                c.reply().nullBulk();
            }
            return;
        }
        if ((flags & KEEPTTL) != 0 && existing != null) {
            at = Entry.expireAt(existing);
        }
        store(c, key, c.arg(2), at);
        if (expireArg != 0) {
            c.notify(KeyspaceEvents.GENERIC, "expire", c.db(), key);
            propagateWithExpire(c, c.arg(2), at);
        }
        if (integerReply) {
            c.reply().integer(1);
        } else if ((flags & GET) == 0) {
            c.reply().ok();
        }
    }

    /** Propagates a SET with a relative or absolute expiry as {@code SET key value PXAT <ms>}, as Redis. */
    private static void propagateWithExpire(CommandContext c, byte[] value, long at) {
        if (c.propagating()) {
            c.propagateAs(Effects.SET, c.arg(1), value, Effects.PXAT, Effects.number(at));
        }
    }

    /** Replaces whatever {@code key} held with a new string entry. */
    private static void store(CommandContext c, byte[] key, byte[] value, long expireAt) {
        Database db = c.db();
        db.put(key, entry(c, key, value, expireAt, false));
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.STRING, "set", db, key);
    }

    /** GETSET key value: the old value (or null), then sets the new one without a TTL. */
    static void getset(CommandContext c) {
        get(c);
        store(c, c.arg(1), c.arg(2), Entry.NO_EXPIRE);
    }

    /** GETDEL key: the value (or null), then deletes the key. */
    static void getdel(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] e = c.lookupString(key);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        replyValue(c.reply(), e);
        Database db = c.db();
        db.remove(key);
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.GENERIC, "del", db, key);
        if (c.propagating()) {
            c.propagateAs(Effects.DEL, key);
        }
    }

    /** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]: the value, then changes its TTL. */
    static void getex(CommandContext c) {
        int options = parseOptions(c, 2, false);
        int flags = options & FLAG_MASK;
        int expireArg = options >>> ARG_SHIFT;
        byte[] key = c.arg(1);
        byte[] e = c.lookupString(key);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        long at = expireArg != 0 ? expireAt(c, expireArg, flags) : Entry.NO_EXPIRE;
        replyValue(c.reply(), e);
        Database db = c.db();
        if ((flags & (EXAT | PXAT)) != 0 && at <= c.now()) {
            db.remove(key);
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.GENERIC, "del", db, key);
            if (c.propagating()) {
                c.propagateAs(Effects.delete(c.engine().config().boolValue("lazyfree-lazy-expire")), key);
            }
        } else if (expireArg != 0) {
            db.setExpire(key, at);
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.GENERIC, "expire", db, key);
            if (c.propagating()) {
                c.propagateAs(Effects.PEXPIREAT, key, Effects.number(at));
            }
        } else if ((flags & PERSIST) != 0 && StringEntry.expireAt(e) != Entry.NO_EXPIRE) {
            db.setExpire(key, Entry.NO_EXPIRE);
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.GENERIC, "persist", db, key);
            if (c.propagating()) {
                c.propagateAs(Effects.PERSIST, key);
            }
        }
    }

    // ---------------------------------------------------------------- multi-key

    /** MGET key...: an array with each value, null for absent keys and keys of other types. */
    static void mget(CommandContext c) {
        ReplyWriter r = c.reply();
        int n = c.argc() - 1;
        r.arrayHeader(n);
        for (int i = 1; i <= n; i++) {
            Object e = c.lookupRead(c.arg(i));
            if (e instanceof byte[]) {
                replyValue(r, (byte[]) e);
            } else {
                r.nullBulk();
            }
        }
    }

    /** MSET key value [key value ...] (OK) and MSETNX (1, or 0 without writing when any key exists). */
    static void msetGeneric(CommandContext c, boolean nx) {
        int argc = c.argc();
        if (argc % 2 == 0) {
            throw c.wrongArity();
        }
        Database db = c.db();
        if (nx) {
            for (int j = 1; j < argc; j += 2) {
                if (db.lookup(c.arg(j), c.now()) != null) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < argc; j += 2) {
            store(c, c.arg(j), c.arg(j + 1), Entry.NO_EXPIRE);
        }
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    // ---------------------------------------------------------------- APPEND, STRLEN, ranges

    /** APPEND key value: the new length; an existing value keeps its TTL and becomes RAW-encoded. */
    static void append(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] add = c.arg(2);
        Database db = c.db();
        byte[] e = asString(lookupForReplace(c, key));
        if (e == null) {
            db.put(key, entry(c, key, add, Entry.NO_EXPIRE, false));
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.STRING, "append", db, key);
            c.reply().integer(add.length);
            return;
        }
        int off = StringEntry.valueOffset(e);
        int len = e.length - off;
        checkStringLength(c, len, add.length);
        byte[] value = new byte[len + add.length];
        System.arraycopy(e, off, value, 0, len);
        System.arraycopy(add, 0, value, len, add.length);
        db.put(key, entry(c, key, value, StringEntry.expireAt(e), true));
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.STRING, "append", db, key);
        c.reply().integer(value.length);
    }

    /** STRLEN key: the value's length in bytes, 0 when absent. */
    static void strlen(CommandContext c) {
        byte[] e = c.lookupString(c.arg(1));
        c.reply().integer(e == null ? 0 : StringEntry.valueLength(e));
    }

    /** GETRANGE key start end (and SUBSTR): the bytes between two inclusive, possibly negative, indexes. */
    static void getrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] e = c.lookupString(c.arg(1));
        ReplyWriter r = c.reply();
        if (e == null) {
            r.emptyBulk();
            return;
        }
        int off = StringEntry.valueOffset(e);
        long len = e.length - off;
        if (start < 0 && end < 0 && start > end) {
            r.emptyBulk();
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            r.emptyBulk();
        } else {
            r.bulk(e, off + (int) start, (int) (end - start + 1));
        }
    }

    /** SETRANGE key offset value: overwrites from offset, zero-padding; the new length. Marks the value RAW. */
    static void setrange(CommandContext c) {
        byte[] key = c.arg(1);
        long offset = c.longArg(2);
        byte[] value = c.arg(3);
        if (offset < 0) {
            throw new CommandError(INVALID_OFFSET);
        }
        Database db = c.db();
        byte[] e = asString(lookupForReplace(c, key));
        if (e == null) {
            if (value.length == 0) {
                c.reply().integer(0);
                return;
            }
            checkStringLength(c, offset, value.length);
            byte[] v = new byte[(int) offset + value.length];
            System.arraycopy(value, 0, v, (int) offset, value.length);
            db.put(key, entry(c, key, v, Entry.NO_EXPIRE, true));
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.STRING, "setrange", db, key);
            c.reply().integer(v.length);
            return;
        }
        int off = StringEntry.valueOffset(e);
        int len = e.length - off;
        if (value.length == 0) {
            c.reply().integer(len);
            return;
        }
        checkStringLength(c, offset, value.length);
        int newLen = Math.max(len, (int) offset + value.length);
        byte[] v = new byte[newLen];
        System.arraycopy(e, off, v, 0, len);
        System.arraycopy(value, 0, v, (int) offset, value.length);
        db.put(key, entry(c, key, v, StringEntry.expireAt(e), true));
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.STRING, "setrange", db, key);
        c.reply().integer(newLen);
    }

    // ---------------------------------------------------------------- counters

    /** DECRBY key decrement: refuses the one decrement that cannot be negated. */
    static void decrby(CommandContext c) {
        long decrement = c.longArg(2);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandError(DECREMENT_OVERFLOW);
        }
        incrDecr(c, -decrement);
    }

    /**
     * INCR, DECR, INCRBY, DECRBY: adds {@code incr} to the integer value (0 when absent), keeping the TTL; the
     * result. Errors: WRONGTYPE, {@link Errors#NOT_INTEGER}, {@link Errors#OVERFLOW}.
     */
    static void incrDecr(CommandContext c, long incr) {
        byte[] key = c.arg(1);
        byte[] e = asString(lookupForReplace(c, key));
        long old = e == null ? 0 : integerValue(e);
        if ((incr < 0 && old < 0 && incr < Long.MIN_VALUE - old)
                || (incr > 0 && old > 0 && incr > Long.MAX_VALUE - old)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        long value = old + incr;
        Database db = c.db();
        long at = e == null ? Entry.NO_EXPIRE : StringEntry.expireAt(e);
        db.put(key, entry(c, key, Numbers.toBytes(value), at, false));
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.STRING, "incrby", db, key);
        c.reply().integer(value);
    }

    /** INCRBYFLOAT key increment: long double arithmetic as Redis; the new value as a bulk string. */
    static void incrbyfloat(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] e = asString(lookupForReplace(c, key));
        BigDecimal value = BigDecimal.ZERO;
        if (e != null) {
            int off = StringEntry.valueOffset(e);
            value = LongDouble.parse(e, off, e.length - off);
            if (value == null) {
                throw new CommandError(Errors.NOT_FLOAT);
            }
        }
        byte[] arg = c.arg(2);
        BigDecimal incr = LongDouble.parse(arg, 0, arg.length);
        if (incr == null) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        BigDecimal sum = value == LongDouble.INFINITE || incr == LongDouble.INFINITE
                ? null : LongDouble.add(value, incr);
        if (sum == null) {
            throw new CommandError(NAN_OR_INFINITY);
        }
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        Database db = c.db();
        long at = e == null ? Entry.NO_EXPIRE : StringEntry.expireAt(e);
        db.put(key, StringEntry.notIntEncoded(entry(c, key, text, at, false)));
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.STRING, "incrbyfloat", db, key);
        if (c.propagating()) {
            c.propagateAs(Effects.SET, key, text, Effects.KEEPTTL);
        }
        c.reply().bulk(text);
    }

    // ---------------------------------------------------------------- LCS

    /**
     * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence of two strings
     * (absent keys are empty), its length, or with IDX a map {@code matches} (ranges from the end of the
     * strings backwards, each {@code [[a0, a1], [b0, b1]]} plus the length with WITHMATCHLEN) and {@code len}.
     */
    static void lcs(CommandContext c) {
        Object oa = c.lookupRead(c.arg(1));
        Object ob = c.lookupRead(c.arg(2));
        if ((oa != null && !(oa instanceof byte[])) || (ob != null && !(ob instanceof byte[]))) {
            throw new CommandError(LCS_WRONGTYPE);
        }
        byte[] a = oa == null ? EMPTY : StringEntry.value((byte[]) oa);
        byte[] b = ob == null ? EMPTY : StringEntry.value((byte[]) ob);
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "idx")) {
                getIdx = true;
            } else if (c.argIs(j, "len")) {
                getLen = true;
            } else if (c.argIs(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (c.argIs(j, "minmatchlen") && more) {
                minMatchLen = Math.max(0, c.longArg(j + 1));
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (getIdx && getLen) {
            throw new CommandError(LCS_LEN_AND_IDX);
        }
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.engine().config().longValue("proto-max-bulk-len")) {
            throw new CommandError(LCS_TOO_MUCH_MEMORY);
        }
        if (cells > Integer.MAX_VALUE - 8) {
            throw new CommandError(LCS_ALLOC_FAILED);
        }
        int w = blen + 1;
        int[] t;
        try {
            t = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            // Redis tries the allocation and answers an error when it fails; so do we
            throw new CommandError(LCS_ALLOC_FAILED);
        }
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (a[i - 1] == b[j - 1]) {
                    t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
                } else {
                    t[i * w + j] = Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
                }
            }
        }
        int total = t[alen * w + blen];
        ReplyWriter r = c.reply();
        if (getLen) {
            r.integer(total);
            return;
        }
        byte[] result = new byte[total];
        // ranges found walking back from the ends: aStart, aEnd, bStart, bEnd per match
        int[] ranges = getIdx ? new int[16] : null;
        int rangeCount = 0;
        int idx = total;
        int aStart = -1;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[--idx] = a[i - 1];
                if (aStart < 0) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart >= 0) {
                    emit = true;
                }
            }
            if (emit) {
                int matchLen = aEnd - aStart + 1;
                if (ranges != null && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    if ((rangeCount + 1) * 4 > ranges.length) {
                        ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
                    }
                    int p = rangeCount * 4;
                    ranges[p] = aStart;
                    ranges[p + 1] = aEnd;
                    ranges[p + 2] = bStart;
                    ranges[p + 3] = bEnd;
                    rangeCount++;
                }
                aStart = -1;
            }
        }
        if (!getIdx) {
            r.bulk(result);
            return;
        }
        r.mapHeader(2);
        r.bulk(MATCHES);
        r.arrayHeader(rangeCount);
        for (int k = 0; k < rangeCount; k++) {
            int p = k * 4;
            r.arrayHeader(withMatchLen ? 3 : 2);
            r.arrayHeader(2);
            r.integer(ranges[p]);
            r.integer(ranges[p + 1]);
            r.arrayHeader(2);
            r.integer(ranges[p + 2]);
            r.integer(ranges[p + 3]);
            if (withMatchLen) {
                r.integer(ranges[p + 1] - ranges[p] + 1);
            }
        }
        r.bulk(LEN);
        r.integer(total);
    }
}
