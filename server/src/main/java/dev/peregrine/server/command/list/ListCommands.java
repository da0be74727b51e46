package dev.peregrine.server.command.list;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Effects;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.list.ElementSink;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.list.Listpack;

import java.util.Arrays;

/**
 * The non-blocking list commands (Redis's t_list.c): pushes, pops, ranges, LINSERT/LREM/LSET/LTRIM, LPOS, LMOVE,
 * RPOPLPUSH and LMPOP (the blocking ones are in {@link BlockingListCommands}). An emptied list is deleted at once. The encoding switches follow
 * {@code list-max-listpack-size} as Redis 7.2 (see {@link ListValue}). Executor-only.
 */
public final class ListCommands {
    private static final String POSITIVE = "ERR value is out of range, must be positive";
    private static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from "
            + "the second ... or use negative to start from the end of the list";

    private ListCommands() {
    }

    public static void register(CommandTable t) {
        t.register("lpush", c -> push(c, true, false));
        t.register("rpush", c -> push(c, false, false));
        t.register("lpushx", c -> push(c, true, true));
        t.register("rpushx", c -> push(c, false, true));
        t.register("lpop", c -> pop(c, true));
        t.register("rpop", c -> pop(c, false));
        t.register("llen", ListCommands::llen);
        t.register("lrange", ListCommands::lrange);
        t.register("lindex", ListCommands::lindex);
        t.register("lset", ListCommands::lset);
        t.register("linsert", ListCommands::linsert);
        t.register("lrem", ListCommands::lrem);
        t.register("ltrim", ListCommands::ltrim);
        t.register("lpos", ListCommands::lpos);
        t.register("lmove", ListCommands::lmove);
        t.register("rpoplpush", c -> move(c, false, true));
        t.register("lmpop", ListCommands::lmpop);
    }

    // ------------------------------------------------------------------ helpers

    /** The configured {@code list-max-listpack-size}. */
    private static int fill(CommandContext c) {
        return c.engine().config().intValue("list-max-listpack-size");
    }

    /** The configured {@code list-compress-depth}, for lists that become quicklists. */
    private static int depth(CommandContext c) {
        return c.engine().config().intValue("list-compress-depth");
    }

    /** The entry as a list, null when absent, WRONGTYPE when another type. */
    private static ListValue asList(Object e) {
        if (e == null) {
            return null;
        }
        if (!(e instanceof ListValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (ListValue) e;
    }

    private static ListValue readList(CommandContext c, byte[] key) {
        return asList(c.lookupRead(key));
    }

    static ListValue writeList(CommandContext c, byte[] key) {
        return asList(c.lookupWrite(key));
    }

    /**
     * After elements were removed: deletes an emptied list or lets it switch back to a listpack, and publishes
     * keyspace event {@code event} (then {@code del} when the list emptied).
     */
    static void afterRemoval(CommandContext c, Database db, byte[] key, ListValue list, long removed, String event) {
        boolean emptied = list.size() == 0;
        if (emptied) {
            db.remove(key);
        } else {
            list.afterShrink(fill(c));
        }
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.LIST, event, db, key);
        if (emptied) {
            c.notify(KeyspaceEvents.GENERIC, "del", db, key);
        }
        if (removed > 1) {
            c.dirty(removed - 1);
        }
    }

    /** Parses a LEFT/RIGHT argument: true for LEFT. */
    static boolean whereArg(CommandContext c, int i) {
        if (c.argIs(i, "left")) {
            return true;
        }
        if (c.argIs(i, "right")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /**
     * A long argument within {@code [min, max]}, else {@code msg} (or Redis 7.2's generic range message, whose
     * wording "value must between" is Redis's own).
     */
    static long rangeArg(CommandContext c, int i, long min, long max, String msg) {
        long v = c.longArg(i, msg != null ? msg : Errors.NOT_INTEGER);
        if (v < min || v > max) {
            throw new CommandError(msg != null ? msg
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** Writes elements to a reply as bulk strings. */
    private static final class ReplySink implements ElementSink {
        private final ReplyWriter r;

        ReplySink(ReplyWriter r) {
            this.r = r;
        }

        @Override
        public void string(byte[] buf, int off, int len) {
            r.bulk(buf, off, len);
        }

        @Override
        public void integer(long value) {
            r.bulk(value);
        }
    }

    /**
     * Replies with {@code n} elements from the head ({@code fromHead}, in order) or from the tail (last first),
     * then removes them. {@code n <= size}.
     */
    static void popRangeReply(ReplyWriter r, ListValue list, long n, boolean fromHead) {
        r.arrayHeader((int) n);
        ReplySink sink = new ReplySink(r);
        if (fromHead) {
            list.range(0, n, sink);
            list.deleteRange(0, n);
        } else {
            ListValue.Cursor cur = list.cursor(-1, false);
            for (long k = 0; k < n; k++) {
                cur.emit(sink);
                cur.advance();
            }
            cur.close();
            list.deleteRange(list.size() - n, n);
        }
    }

    // ------------------------------------------------------------------ push / pop

    /** LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...]: the new length (0 for an absent key with X). */
    static void push(CommandContext c, boolean atHead, boolean onlyIfExists) {
        byte[] key = c.arg(1);
        Database db = c.db();
        ListValue list = writeList(c, key);
        if (list == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            list = new ListValue(key);
            db.put(key, list);
        }
        int argc = c.argc();
        list.beforeGrow(c.argv(), 2, argc - 1, fill(c), depth(c));
        for (int i = 2; i < argc; i++) {
            list.push(c.arg(i), atHead);
        }
        c.keyModified(db, key);
        c.signalKeyAsReady(db, key);
        c.notify(KeyspaceEvents.LIST, atHead ? "lpush" : "rpush", db, key);
        c.dirty(argc - 3);
        c.reply().integer(list.size());
    }

    /** LPOP/RPOP key [count]: a bulk (no count) or an array of up to count elements. */
    static void pop(CommandContext c, boolean atHead) {
        if (c.argc() > 3) {
            throw c.wrongArity();
        }
        boolean hasCount = c.argc() == 3;
        long count = 0;
        if (hasCount) {
            count = rangeArg(c, 2, 0, Long.MAX_VALUE, POSITIVE);
        }
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        ReplyWriter r = c.reply();
        if (list == null) {
            if (hasCount) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            r.emptyArray();
            return;
        }
        Database db = c.db();
        if (!hasCount) {
            r.bulk(list.pop(atHead));
            afterRemoval(c, db, key, list, 1, atHead ? "lpop" : "rpop");
            return;
        }
        long n = Math.min(count, list.size());
        popRangeReply(r, list, n, atHead);
        afterRemoval(c, db, key, list, n, atHead ? "lpop" : "rpop");
    }

    // ------------------------------------------------------------------ reads

    static void llen(CommandContext c) {
        ListValue list = readList(c, c.arg(1));
        c.reply().integer(list == null ? 0 : list.size());
    }

    /** LRANGE key start stop: the elements in the inclusive range, negative indexes from the tail. */
    static void lrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        ListValue list = readList(c, c.arg(1));
        ReplyWriter r = c.reply();
        if (list == null) {
            r.emptyArray();
            return;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            r.emptyArray();
            return;
        }
        if (end >= len) {
            end = len - 1;
        }
        long n = end - start + 1;
        r.arrayHeader((int) n);
        list.range(start, n, new ReplySink(r));
    }

    /** LINDEX key index: the element, or null when out of range or absent. */
    static void lindex(CommandContext c) {
        ListValue list = readList(c, c.arg(1));
        if (list == null) {
            c.reply().nullBulk();
            return;
        }
        long index = c.longArg(2);
        byte[] v = list.get(index);
        if (v == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(v);
        }
    }

    /** LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: index, null, or an array of indexes. */
    static void lpos(CommandContext c) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.argIs(j, "rank") && more) {
                j++;
                rank = rangeArg(c, j, -Long.MAX_VALUE, Long.MAX_VALUE, null);
                if (rank == 0) {
                    throw new CommandError(RANK_ZERO);
                }
            } else if (c.argIs(j, "count") && more) {
                j++;
                count = rangeArg(c, j, 0, Long.MAX_VALUE, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "maxlen") && more) {
                j++;
                maxlen = rangeArg(c, j, 0, Long.MAX_VALUE, "ERR MAXLEN can't be negative");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        boolean forward = rank > 0;
        if (rank < 0) {
            rank = -rank;
        }
        ReplyWriter r = c.reply();
        ListValue list = readList(c, c.arg(1));
        if (list == null) {
            if (count != -1) {
                r.emptyArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        byte[] ele = c.arg(2);
        Listpack.Element eleInt = Listpack.Element.asInt(ele);
        long len = list.size();
        long[] found = count > 0 ? new long[(int) Math.min(count, 16)] : new long[16];
        int nfound = 0;
        long matches = 0;
        long index = 0;
        ListValue.Cursor cur = list.cursor(forward ? 0 : -1, forward);
        for (; cur.valid() && (maxlen == 0 || index < maxlen); cur.advance(), index++) {
            if (!cur.matches(ele, eleInt)) {
                continue;
            }
            matches++;
            if (matches < rank) {
                continue;
            }
            long at = forward ? index : len - index - 1;
            if (nfound == found.length) {
                found = Arrays.copyOf(found, found.length * 2);
            }
            found[nfound++] = at;
            if (count == -1 || (count != 0 && matches - rank + 1 >= count)) {
                break;
            }
        }
        cur.close();
        if (count != -1) {
            r.arrayHeader(nfound);
            for (int i = 0; i < nfound; i++) {
                r.integer(found[i]);
            }
        } else if (nfound > 0) {
            r.integer(found[0]);
        } else {
            r.nullBulk();
        }
    }

    // ------------------------------------------------------------------ in-place changes

    /** LSET key index element: OK, {@code ERR no such key}, or {@code ERR index out of range}. */
    static void lset(CommandContext c) {
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        long index = c.longArg(2);
        int fill = fill(c);
        list.beforeGrow(c.argv(), 3, 3, fill, depth(c));
        if (!list.set(index, c.arg(3))) {
            throw new CommandError(Errors.OUT_OF_RANGE);
        }
        list.afterShrink(fill);
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.LIST, "lset", c.db(), key);
        c.reply().ok();
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(CommandContext c) {
        boolean before;
        if (c.argIs(2, "before")) {
            before = true;
        } else if (c.argIs(2, "after")) {
            before = false;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        list.beforeGrow(c.argv(), 4, 4, fill(c), depth(c));
        byte[] pivot = c.arg(3);
        Listpack.Element pivotInt = Listpack.Element.asInt(pivot);
        long index = 0;
        boolean found = false;
        ListValue.Cursor cur = list.cursor(0, true);
        for (; cur.valid(); cur.advance(), index++) {
            if (cur.matches(pivot, pivotInt)) {
                found = true;
                break;
            }
        }
        cur.close();
        if (!found) {
            c.reply().integer(-1);
            return;
        }
        list.insert(before ? index : index + 1, c.arg(4));
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.LIST, "linsert", c.db(), key);
        c.signalKeyAsReady(c.db(), key);
        c.reply().integer(list.size());
    }

    /** LREM key count element: how many were removed (count &gt; 0 from the head, &lt; 0 from the tail, 0 all). */
    static void lrem(CommandContext c) {
        long toRemove = c.longArg(2);
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        boolean forward = toRemove >= 0;
        if (toRemove < 0) {
            toRemove = -toRemove;
        }
        byte[] ele = c.arg(3);
        Listpack.Element eleInt = Listpack.Element.asInt(ele);
        long removed = 0;
        ListValue.Cursor cur = list.cursor(forward ? 0 : -1, forward);
        while (cur.valid()) {
            if (cur.matches(ele, eleInt)) {
                cur.remove();
                removed++;
                if (toRemove != 0 && removed == toRemove) {
                    break;
                }
            } else {
                cur.advance();
            }
        }
        cur.close();
        if (removed > 0) {
            afterRemoval(c, c.db(), key, list, removed, "lrem");
        }
        c.reply().integer(removed);
    }

    /** LTRIM key start stop: OK; keeps only the inclusive range. */
    static void ltrim(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().ok();
            return;
        }
        long len = list.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= len) {
            ltrim = len;
            rtrim = 0;
        } else {
            if (end >= len) {
                end = len - 1;
            }
            ltrim = start;
            rtrim = len - end - 1;
        }
        list.deleteRange(0, ltrim);
        list.deleteRange(list.size() - rtrim, rtrim);
        Database db = c.db();
        boolean emptied = list.size() == 0;
        if (emptied) {
            db.remove(key);
        } else {
            list.afterShrink(fill(c));
        }
        c.keyModified(db, key);
        c.notify(KeyspaceEvents.LIST, "ltrim", db, key);
        if (emptied) {
            c.notify(KeyspaceEvents.GENERIC, "del", db, key);
        }
        if (ltrim + rtrim > 1) {
            c.dirty(ltrim + rtrim - 1);
        }
        c.reply().ok();
    }

    // ------------------------------------------------------------------ moves

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
    static void lmove(CommandContext c) {
        boolean fromHead = whereArg(c, 3);
        boolean toHead = whereArg(c, 4);
        move(c, fromHead, toHead);
    }

    /** Pops from the source and pushes to the destination; replies the element, or null for an absent source. */
    static void move(CommandContext c, boolean fromHead, boolean toHead) {
        byte[] src = c.arg(1);
        byte[] dstKey = c.arg(2);
        ListValue source = writeList(c, src);
        if (source == null || source.size() == 0) {
            c.reply().nullBulk();
            return;
        }
        ListValue dest = writeList(c, dstKey);
        Database db = c.db();
        byte[] v = source.pop(fromHead);
        int fill = fill(c);
        if (dest == null) {
            dest = new ListValue(dstKey);
            db.put(dstKey, dest);
        }
        dest.beforeGrow(v, fill, depth(c));
        dest.push(v, toHead);
        c.keyModified(db, dstKey);
        c.signalKeyAsReady(db, dstKey);
        c.notify(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", db, dstKey);
        c.notify(KeyspaceEvents.LIST, fromHead ? "lpop" : "rpop", db, src);
        boolean emptied = source.size() == 0;
        if (emptied) {
            db.remove(src);
        } else {
            source.afterShrink(fill);
        }
        c.keyModified(db, src);
        if (emptied) {
            c.notify(KeyspaceEvents.GENERIC, "del", db, src);
        }
        c.reply().bulk(v);
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: [key, [elements]] of the first non-empty list. */
    static void lmpop(CommandContext c) {
        long numkeys = rangeArg(c, 1, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys > c.argc() - 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        int whereIdx = (int) numkeys + 2;
        boolean fromHead = whereArg(c, whereIdx);
        long count = -1;
        for (int j = whereIdx + 1; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (count == -1 && c.argIs(j, "count") && more) {
                j++;
                count = rangeArg(c, j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (count == -1) {
            count = 1;
        }
        for (int k = 0; k < numkeys; k++) {
            byte[] key = c.arg(2 + k);
            ListValue list = writeList(c, key);
            if (list == null || list.size() == 0) {
                continue;
            }
            ReplyWriter r = c.reply();
            r.arrayHeader(2);
            r.bulk(key);
            long n = Math.min(count, list.size());
            popRangeReply(r, list, n, fromHead);
            afterRemoval(c, c.db(), key, list, n, fromHead ? "lpop" : "rpop");
            propagatePop(c, key, fromHead, n);
            return;
        }
        c.reply().nullArray();
    }

    /** Propagates LMPOP/BLMPOP as {@code LPOP|RPOP key n} with the number actually popped, as Redis. */
    static void propagatePop(CommandContext c, byte[] key, boolean fromHead, long n) {
        if (c.propagating()) {
            c.propagateAs(fromHead ? Effects.LPOP : Effects.RPOP, key, Effects.number(n));
        }
    }
}
