package dev.peregrine.server.command.list;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Effects;
import dev.peregrine.server.command.Errors;
import dev.peregrine.storage.ValueType;
import dev.peregrine.storage.list.ListValue;

import java.util.Arrays;

/**
 * The blocking list commands (Redis's t_list.c): BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH. With an element
 * to serve they act as their non-blocking forms; otherwise the client blocks on the keys (see
 * {@link CommandContext#blockForKeys}) and the command runs again when a key is pushed to. A time-out answers a
 * null array; where blocking is not allowed (MULTI) they answer at once as on a time-out (BLMOVE and
 * BRPOPLPUSH: a null bulk, as Redis). Executor-only.
 */
public final class BlockingListCommands {
    private BlockingListCommands() {
    }

    public static void register(CommandTable t) {
        t.register("blpop", c -> bpop(c, true));
        t.register("brpop", c -> bpop(c, false));
        t.register("blmpop", BlockingListCommands::blmpop);
        t.register("blmove", BlockingListCommands::blmove);
        t.register("brpoplpush", c -> bmove(c, false, true, 3));
    }

    /** BLPOP/BRPOP key [key ...] timeout: [key, element] from the first non-empty list. */
    static void bpop(CommandContext c, boolean atHead) {
        long timeoutAt = c.timeoutArg(c.argc() - 1);
        int last = c.argc() - 2;
        for (int k = 1; k <= last; k++) {
            byte[] key = c.arg(k);
            ListValue list = ListCommands.writeList(c, key);
            if (list == null || list.size() == 0) {
                continue;
            }
            ReplyWriter r = c.reply();
            r.arrayHeader(2);
            r.bulk(key);
            r.bulk(list.pop(atHead));
            ListCommands.afterRemoval(c, c.db(), key, list, 1, atHead ? "lpop" : "rpop");
            if (c.propagating()) {
                c.propagateAs(atHead ? Effects.LPOP : Effects.RPOP, key);
            }
            return;
        }
        if (c.blockingDenied()) {
            c.reply().nullArray();
            return;
        }
        c.blockForKeys(Arrays.copyOfRange(c.argv(), 1, last + 1), timeoutAt, ValueType.LIST);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: [key, [elements]]. */
    static void blmpop(CommandContext c) {
        long numkeys = ListCommands.rangeArg(c, 2, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys >= c.argc() - 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        int whereIdx = 3 + (int) numkeys;
        boolean fromHead = ListCommands.whereArg(c, whereIdx);
        long count = -1;
        for (int j = whereIdx + 1; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (count == -1 && c.argIs(j, "count") && more) {
                j++;
                count = ListCommands.rangeArg(c, j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (count == -1) {
            count = 1;
        }
        long timeoutAt = c.timeoutArg(1);
        for (int k = 0; k < numkeys; k++) {
            byte[] key = c.arg(3 + k);
            ListValue list = ListCommands.writeList(c, key);
            if (list == null || list.size() == 0) {
                continue;
            }
            ReplyWriter r = c.reply();
            r.arrayHeader(2);
            r.bulk(key);
            long n = Math.min(count, list.size());
            ListCommands.popRangeReply(r, list, n, fromHead);
            ListCommands.afterRemoval(c, c.db(), key, list, n, fromHead ? "lpop" : "rpop");
            ListCommands.propagatePop(c, key, fromHead, n);
            return;
        }
        if (c.blockingDenied()) {
            c.reply().nullArray();
            return;
        }
        c.blockForKeys(Arrays.copyOfRange(c.argv(), 3, 3 + (int) numkeys), timeoutAt, ValueType.LIST);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(CommandContext c) {
        boolean fromHead = ListCommands.whereArg(c, 3);
        boolean toHead = ListCommands.whereArg(c, 4);
        bmove(c, fromHead, toHead, 5);
    }

    /** The blocking move: the moved element, or blocks on the source while it is absent. */
    private static void bmove(CommandContext c, boolean fromHead, boolean toHead, int timeoutIdx) {
        long timeoutAt = c.timeoutArg(timeoutIdx);
        ListValue source = ListCommands.writeList(c, c.arg(1));
        if (source != null) {
            ListCommands.move(c, fromHead, toHead);
            if (c.propagating()) {
                c.propagateAs(timeoutIdx == 3 ? new byte[][] {Effects.RPOPLPUSH, c.arg(1), c.arg(2)}
                        : new byte[][] {Effects.LMOVE, c.arg(1), c.arg(2), c.arg(3), c.arg(4)});
            }
            return;
        }
        if (c.blockingDenied()) {
            c.reply().nullBulk();
            return;
        }
        c.blockForKeys(new byte[][] {c.arg(1)}, timeoutAt, ValueType.LIST);
    }
}
