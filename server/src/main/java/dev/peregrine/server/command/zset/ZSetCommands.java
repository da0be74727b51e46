package dev.peregrine.server.command.zset;

import dev.peregrine.protocol.DoubleFormat;
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
import dev.peregrine.storage.hash.BytesHashMap;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.LexRange;
import dev.peregrine.storage.zset.ScoreRange;
import dev.peregrine.storage.zset.ZSetLimits;
import dev.peregrine.storage.zset.ZSetValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Sorted set commands (Redis's t_zset.c), the non-blocking ones: adapt arguments and replies over
 * {@link ZSetValue}. {@link #popAndReply} is the shared core of ZPOPMIN, ZPOPMAX and ZMPOP, for the blocking
 * variants to reuse. Executor-only.
 */
public final class ZSetCommands {
    private static final SplittableRandom RANDOM = new SplittableRandom();
    private static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    private static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
    private static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    private static final String RANGE_ERROR =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    private ZSetCommands() {
    }

    public static void register(CommandTable t) {
        t.register("zadd", c -> zaddGeneric(c, 0));
        t.register("zincrby", c -> zaddGeneric(c, ZSetValue.IN_INCR));
        t.register("zrem", ZSetCommands::zrem);
        t.register("zcard", ZSetCommands::zcard);
        t.register("zscore", ZSetCommands::zscore);
        t.register("zmscore", ZSetCommands::zmscore);
        t.register("zrank", c -> zrankGeneric(c, false));
        t.register("zrevrank", c -> zrankGeneric(c, true));
        t.register("zcount", ZSetCommands::zcount);
        t.register("zlexcount", ZSetCommands::zlexcount);
        t.register("zrange", c -> zrangeGeneric(c, 1, null, AUTO, AUTO));
        t.register("zrangestore", c -> zrangeGeneric(c, 2, c.arg(1), AUTO, AUTO));
        t.register("zrangebyscore", c -> zrangeGeneric(c, 1, null, BY_SCORE, FORWARD));
        t.register("zrevrangebyscore", c -> zrangeGeneric(c, 1, null, BY_SCORE, REVERSE));
        t.register("zrangebylex", c -> zrangeGeneric(c, 1, null, BY_LEX, FORWARD));
        t.register("zrevrangebylex", c -> zrangeGeneric(c, 1, null, BY_LEX, REVERSE));
        t.register("zrevrange", c -> zrangeGeneric(c, 1, null, BY_RANK, REVERSE));
        t.register("zremrangebyrank", c -> zremrangeGeneric(c, BY_RANK));
        t.register("zremrangebyscore", c -> zremrangeGeneric(c, BY_SCORE));
        t.register("zremrangebylex", c -> zremrangeGeneric(c, BY_LEX));
        t.register("zpopmin", c -> zpopMinMax(c, true));
        t.register("zpopmax", c -> zpopMinMax(c, false));
        t.register("zmpop", c -> zmpop(c, 1, false));
        t.register("bzpopmin", c -> bzpopMinMax(c, true));
        t.register("bzpopmax", c -> bzpopMinMax(c, false));
        t.register("bzmpop", c -> zmpop(c, 2, true));
        t.register("zrandmember", ZSetCommands::zrandmember);
        t.register("zunion", c -> setOpGeneric(c, null, 1, UNION, false));
        t.register("zinter", c -> setOpGeneric(c, null, 1, INTER, false));
        t.register("zdiff", c -> setOpGeneric(c, null, 1, DIFF, false));
        t.register("zunionstore", c -> setOpGeneric(c, c.arg(1), 2, UNION, false));
        t.register("zinterstore", c -> setOpGeneric(c, c.arg(1), 2, INTER, false));
        t.register("zdiffstore", c -> setOpGeneric(c, c.arg(1), 2, DIFF, false));
        t.register("zintercard", c -> setOpGeneric(c, null, 1, INTER, true));
        t.register("zscan", ZSetCommands::zscan);
    }

    /** The compact-encoding thresholds from the current configuration. */
    public static ZSetLimits limits(CommandContext c) {
        ServerConfig cfg = c.engine().config();
        return new ZSetLimits(cfg.longValue("zset-max-listpack-entries"), cfg.longValue("zset-max-listpack-value"));
    }

    private static ZSetValue asZSet(Object e) {
        if (e == null) {
            return null;
        }
        if (!(e instanceof ZSetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return (ZSetValue) e;
    }

    private static ZSetValue readZSet(CommandContext c, byte[] key) {
        return asZSet(c.lookupRead(key));
    }

    private static ZSetValue writeZSet(CommandContext c, byte[] key) {
        return asZSet(c.lookupWrite(key));
    }

    // ---------------------------------------------------------------- collected results

    /** Elements gathered for one reply or store, in reply order. */
    static final class Result {
        byte[][] members = new byte[8][];
        double[] scores = new double[8];
        int n;

        boolean add(byte[] m, double s) {
            if (n == members.length) {
                members = Arrays.copyOf(members, n * 2);
                scores = Arrays.copyOf(scores, n * 2);
            }
            members[n] = m;
            scores[n] = s;
            n++;
            return true;
        }

        /**
         * Writes the elements: flat in RESP2 (member, score, ...), [member, score] pairs in RESP3 when
         * {@code withScores}.
         */
        void write(ReplyWriter r, boolean withScores) {
            if (!withScores) {
                r.arrayHeader(n);
                for (int i = 0; i < n; i++) {
                    r.bulk(members[i]);
                }
                return;
            }
            boolean nested = r.resp3();
            r.arrayHeader(nested ? n : n * 2);
            for (int i = 0; i < n; i++) {
                if (nested) {
                    r.arrayHeader(2);
                }
                r.bulk(members[i]);
                r.doubleValue(scores[i]);
            }
        }
    }

    // ---------------------------------------------------------------- ZADD / ZINCRBY

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]; ZINCRBY key increment member. */
    public static void zaddGeneric(CommandContext c, int flags) {
        byte[] key = c.arg(1);
        int scoreIdx = 2;
        boolean ch = false;
        while (scoreIdx < c.argc()) {
            if (c.argIs(scoreIdx, "nx")) {
                flags |= ZSetValue.IN_NX;
            } else if (c.argIs(scoreIdx, "xx")) {
                flags |= ZSetValue.IN_XX;
            } else if (c.argIs(scoreIdx, "ch")) {
                ch = true;
            } else if (c.argIs(scoreIdx, "incr")) {
                flags |= ZSetValue.IN_INCR;
            } else if (c.argIs(scoreIdx, "gt")) {
                flags |= ZSetValue.IN_GT;
            } else if (c.argIs(scoreIdx, "lt")) {
                flags |= ZSetValue.IN_LT;
            } else {
                break;
            }
            scoreIdx++;
        }
        boolean incr = (flags & ZSetValue.IN_INCR) != 0;
        boolean nx = (flags & ZSetValue.IN_NX) != 0;
        boolean xx = (flags & ZSetValue.IN_XX) != 0;
        boolean gt = (flags & ZSetValue.IN_GT) != 0;
        boolean lt = (flags & ZSetValue.IN_LT) != 0;
        int elements = c.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            double s = Scores.parseScore(c.arg(scoreIdx + j * 2));
            if (Double.isNaN(s)) {
                throw new CommandError(Errors.NOT_FLOAT);
            }
            scores[j] = s;
        }
        ZSetLimits limits = limits(c);
        ZSetValue z = writeZSet(c, key);
        ReplyWriter r = c.reply();
        Database db = c.db();
        if (z == null) {
            if (xx) {
                if (incr) {
                    r.nullBulk();
                } else {
                    r.integer(0);
                }
                return;
            }
            // as Redis 7.2: sized from the element count and the first member's length
            z = ZSetValue.create(key, elements, c.arg(scoreIdx + 1).length, limits);
            db.put(key, z);
            c.signalKeyAsReady(db, key);
        } else {
            z.maybeConvert(elements, limits);
        }
        int added = 0;
        int updated = 0;
        int processed = 0;
        double[] newScore = new double[1];
        String error = null;
        for (int j = 0; j < elements; j++) {
            int res = z.add(c.arg(scoreIdx + j * 2 + 1), scores[j], flags, newScore, limits);
            if (res == ZSetValue.OUT_NAN) {
                error = NAN_RESULT;
                break;
            }
            if ((res & ZSetValue.OUT_ADDED) != 0) {
                added++;
            }
            if ((res & ZSetValue.OUT_UPDATED) != 0) {
                updated++;
            }
            if ((res & ZSetValue.OUT_NOP) == 0) {
                processed++;
            }
        }
        if (added + updated > 0) {
            c.keyModified(db, key);
            c.notify(KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", db, key);
            c.dirty(added + updated - 1);
        }
        if (error != null) {
            c.error(error);
            return;
        }
        if (incr) {
            if (processed > 0) {
                r.doubleValue(newScore[0]);
            } else {
                r.nullBulk();
            }
        } else {
            r.integer(ch ? added + updated : added);
        }
    }

    // ---------------------------------------------------------------- single-key reads and writes

    static void zrem(CommandContext c) {
        byte[] key = c.arg(1);
        ZSetValue z = writeZSet(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean removed = false;
        for (int i = 2; i < c.argc(); i++) {
            if (z.remove(c.arg(i))) {
                deleted++;
                if (z.size() == 0) {
                    c.db().remove(key);
                    removed = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.ZSET, "zrem", c.db(), key);
            if (removed) {
                c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            }
            c.dirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    static void zcard(CommandContext c) {
        ZSetValue z = readZSet(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.size());
    }

    static void zscore(CommandContext c) {
        ZSetValue z = readZSet(c, c.arg(1));
        double s = z == null ? Double.NaN : z.score(c.arg(2));
        if (Double.isNaN(s)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(s);
        }
    }

    static void zmscore(CommandContext c) {
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            double s = z == null ? Double.NaN : z.score(c.arg(i));
            if (Double.isNaN(s)) {
                r.nullBulk();
            } else {
                r.doubleValue(s);
            }
        }
    }

    /** ZRANK / ZREVRANK key member [WITHSCORE]. */
    static void zrankGeneric(CommandContext c, boolean reverse) {
        if (c.argc() > 4) {
            throw c.wrongArity();
        }
        boolean withScore = false;
        if (c.argc() > 3) {
            if (!c.argIs(3, "withscore")) {
                throw new CommandError(Errors.SYNTAX);
            }
            withScore = true;
        }
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        long rank = z == null ? -1 : z.rank(c.arg(2));
        if (rank < 0) {
            if (withScore) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (reverse) {
            rank = z.size() - 1 - rank;
        }
        if (withScore) {
            r.arrayHeader(2);
            r.integer(rank);
            r.doubleValue(z.score(c.arg(2)));
        } else {
            r.integer(rank);
        }
    }

    private static ScoreRange scoreRange(CommandContext c, int minIdx, int maxIdx) {
        ScoreRange range = Scores.parseRange(c.arg(minIdx), c.arg(maxIdx));
        if (range == null) {
            throw new CommandError(NOT_FLOAT_RANGE);
        }
        return range;
    }

    private static LexRange lexRange(CommandContext c, int minIdx, int maxIdx) {
        LexRange range = Scores.parseLexRange(c.arg(minIdx), c.arg(maxIdx));
        if (range == null) {
            throw new CommandError(NOT_LEX_RANGE);
        }
        return range;
    }

    static void zcount(CommandContext c) {
        ScoreRange range = scoreRange(c, 2, 3);
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null || range.isEmpty()) {
            c.reply().integer(0);
            return;
        }
        long first = z.countWhile(range.below());
        long last = z.countWhile(range.notAfter());
        c.reply().integer(Math.max(0, last - first));
    }

    static void zlexcount(CommandContext c) {
        LexRange range = lexRange(c, 2, 3);
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null || range.isEmpty()) {
            c.reply().integer(0);
            return;
        }
        long first = firstInLex(z, range);
        if (first < 0) {
            c.reply().integer(0);
            return;
        }
        long count;
        if (z.isListpack()) {
            count = countFrom(z, first, false, (m, s) -> range.lteMax(m));
        } else {
            count = z.size() - first;
            long last = lastInLex(z, range);
            if (last >= 0) {
                count -= z.size() - 1 - last;
            }
        }
        c.reply().integer(count);
    }

    /** Redis's zslIsInLexRange / zzlIsInLexRange: a non-empty range reaching the set's first and last members. */
    private static boolean lexTouches(ZSetValue z, LexRange range) {
        return !range.isEmpty() && z.size() > 0 && range.gteMin(z.memberAt(z.size() - 1))
                && range.lteMax(z.memberAt(0));
    }

    /** Rank of Redis's "first in lex range" element, or -1. */
    static long firstInLex(ZSetValue z, LexRange range) {
        if (!lexTouches(z, range)) {
            return -1;
        }
        long rank = z.countWhile(range.below());
        return rank < z.size() && range.lteMax(z.memberAt(rank)) ? rank : -1;
    }

    /** Rank of Redis's "last in lex range" element, or -1. */
    static long lastInLex(ZSetValue z, LexRange range) {
        if (!lexTouches(z, range)) {
            return -1;
        }
        long rank = z.lastWhere(range.notAfter());
        return rank >= 0 && range.gteMin(z.memberAt(rank)) ? rank : -1;
    }

    /** How many consecutive elements from {@code rank} (in the given direction) satisfy {@code p}. */
    private static long countFrom(ZSetValue z, long rank, boolean reverse,
                                  dev.peregrine.storage.zset.ZPredicate p) {
        long[] n = {0};
        z.visit(rank, reverse, (m, s) -> {
            if (!p.test(m, s)) {
                return false;
            }
            n[0]++;
            return true;
        });
        return n[0];
    }

    // ---------------------------------------------------------------- ZRANGE family

    static final int AUTO = 0;
    static final int BY_RANK = 1;
    static final int BY_SCORE = 2;
    static final int BY_LEX = 3;
    static final int FORWARD = 1;
    static final int REVERSE = 2;

    /**
     * ZRANGE, ZRANGESTORE and the older range commands (Redis's zrangeGenericCommand).
     *
     * @param keyIdx index of the source key; min and max follow it
     * @param dstKey ZRANGESTORE's destination, or null to reply with the elements
     */
    static void zrangeGeneric(CommandContext c, int keyIdx, byte[] dstKey, int type, int direction) {
        boolean store = dstKey != null;
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        for (int j = keyIdx + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                limitGiven = true;
                j += 2;
            } else if (direction == AUTO && c.argIs(j, "rev")) {
                direction = REVERSE;
            } else if (type == AUTO && c.argIs(j, "bylex")) {
                type = BY_LEX;
            } else if (type == AUTO && c.argIs(j, "byscore")) {
                type = BY_SCORE;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (direction == AUTO) {
            direction = FORWARD;
        }
        if (type == AUTO) {
            type = BY_RANK;
        }
        if (limitGiven && limit != -1 && type == BY_RANK) {
            throw new CommandError(
                    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == BY_LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        boolean reverse = direction == REVERSE;
        if (reverse && type != BY_RANK) {
            int t = minIdx;
            minIdx = maxIdx;
            maxIdx = t;
        }
        long start = 0;
        long end = 0;
        ScoreRange scoreRange = null;
        LexRange lexRange = null;
        switch (type) {
            case BY_RANK -> {
                start = c.longArg(minIdx);
                end = c.longArg(maxIdx);
            }
            case BY_SCORE -> scoreRange = scoreRange(c, minIdx, maxIdx);
            default -> lexRange = lexRange(c, minIdx, maxIdx);
        }
        ZSetValue z = readZSet(c, c.arg(keyIdx));
        Result res = new Result();
        long lengthHint = 0;
        if (z != null) {
            if (type == BY_RANK) {
                long llen = z.size();
                if (start < 0) {
                    start += llen;
                }
                if (end < 0) {
                    end += llen;
                }
                if (start < 0) {
                    start = 0;
                }
                if (start <= end && start < llen) {
                    if (end >= llen) {
                        end = llen - 1;
                    }
                    long n = end - start + 1;
                    lengthHint = n;
                    long[] left = {n};
                    z.visit(reverse ? llen - 1 - start : start, reverse, (m, s) -> res.add(m, s) && --left[0] > 0);
                }
            } else if (type == BY_SCORE) {
                ScoreRange range = scoreRange;
                long startRank = -1;
                if (!range.isEmpty()) {
                    startRank = reverse ? z.lastWhere(range.notAfter()) : z.countWhile(range.below());
                }
                rangeFrom(z, startRank, reverse, offset, limit,
                        (m, s) -> reverse ? range.gteMin(s) : range.lteMax(s), res);
            } else {
                LexRange range = lexRange;
                long startRank = reverse ? lastInLex(z, range) : firstInLex(z, range);
                rangeFrom(z, startRank, reverse, offset, limit,
                        (m, s) -> reverse ? range.gteMin(m) : range.lteMax(m), res);
            }
        }
        if (store) {
            storeResult(c, dstKey, res, lengthHint);
            return;
        }
        res.write(c.reply(), withScores);
    }

    /**
     * Elements of a score or lex range from {@code startRank} (-1: none) while {@code inRange} holds, after
     * skipping {@code offset}, at most {@code limit} (-1: all).
     */
    private static void rangeFrom(ZSetValue z, long startRank, boolean reverse, long offset, long limit,
                                  dev.peregrine.storage.zset.ZPredicate inRange, Result res) {
        if (offset < 0 || (offset > 0 && offset >= z.size()) || limit == 0) {
            return;
        }
        if (startRank < 0 || startRank >= z.size()) {
            return;
        }
        long[] skip = {offset};
        long[] left = {limit};
        z.visit(startRank, reverse, (m, s) -> {
            if (skip[0] > 0) {
                skip[0]--;
                return true;
            }
            if (!inRange.test(m, s)) {
                return false;
            }
            res.add(m, s);
            return --left[0] != 0;
        });
    }

    /** ZRANGESTORE's end: the elements replace the destination, or it is deleted when there are none. */
    private static void storeResult(CommandContext c, byte[] dstKey, Result res, long lengthHint) {
        Database db = c.db();
        if (res.n == 0) {
            if (db.remove(dstKey) != null) {
                c.keyModified(db, dstKey);
                c.notify(KeyspaceEvents.GENERIC, "del", db, dstKey);
            }
            c.reply().integer(0);
            return;
        }
        ZSetLimits limits = limits(c);
        ZSetValue dst = ZSetValue.create(dstKey, lengthHint, 0, limits);
        for (int i = 0; i < res.n; i++) {
            dst.insertNew(res.members[i], res.scores[i], limits);
        }
        db.put(dstKey, dst);
        c.keyModified(db, dstKey);
        c.signalKeyAsReady(db, dstKey);
        c.notify(KeyspaceEvents.ZSET, "zrangestore", db, dstKey);
        c.reply().integer(res.n);
    }

    /** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max. */
    static void zremrangeGeneric(CommandContext c, int type) {
        byte[] key = c.arg(1);
        long start = 0;
        long end = 0;
        ScoreRange scoreRange = null;
        LexRange lexRange = null;
        switch (type) {
            case BY_RANK -> {
                start = c.longArg(2);
                end = c.longArg(3);
            }
            case BY_SCORE -> scoreRange = scoreRange(c, 2, 3);
            default -> lexRange = lexRange(c, 2, 3);
        }
        ZSetValue z = writeZSet(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long llen = z.size();
        if (type == BY_RANK) {
            if (start < 0) {
                start += llen;
            }
            if (end < 0) {
                end += llen;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= llen) {
                c.reply().integer(0);
                return;
            }
            if (end >= llen) {
                end = llen - 1;
            }
        } else if (type == BY_SCORE) {
            if (scoreRange.isEmpty()) {
                c.reply().integer(0);
                return;
            }
            ScoreRange range = scoreRange;
            start = z.countWhile(range.below());
            end = start + countFrom(z, start, false, (m, s) -> range.lteMax(s)) - 1;
        } else {
            LexRange range = lexRange;
            // a listpack starts at Redis's "first in range" element; a skiplist after the members below min
            start = z.isListpack() ? firstInLex(z, range) : z.countWhile(range.below());
            if (start < 0) {
                c.reply().integer(0);
                return;
            }
            end = start + countFrom(z, start, false, (m, s) -> range.lteMax(m)) - 1;
        }
        long deleted = start <= end ? z.removeRange(start, end) : 0;
        boolean removed = z.size() == 0;
        if (removed) {
            c.db().remove(key);
        }
        if (deleted > 0) {
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.ZSET, type == BY_RANK ? "zremrangebyrank"
                    : type == BY_SCORE ? "zremrangebyscore" : "zremrangebylex", c.db(), key);
            if (removed) {
                c.notify(KeyspaceEvents.GENERIC, "del", c.db(), key);
            }
            c.dirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    // ---------------------------------------------------------------- pops

    /** ZPOPMIN / ZPOPMAX key [count]. */
    static void zpopMinMax(CommandContext c, boolean min) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        if (c.argc() == 3) {
            count = c.longArg(2, "ERR value is out of range, must be positive");
            if (count < 0) {
                throw new CommandError("ERR value is out of range, must be positive");
            }
        }
        boolean nested = c.reply().resp3() && count != -1;
        popAndReply(c, c.argv(), 1, 1, min, count, false, nested, false);
    }

    /**
     * BZPOPMIN / BZPOPMAX key [key ...] timeout: [key, member, score] from the first non-empty sorted set, or
     * the client blocks on the keys until one gets members or the timeout passes (then a null array).
     */
    static void bzpopMinMax(CommandContext c, boolean min) {
        long timeoutAt = c.timeoutArg(c.argc() - 1);
        int keyCount = c.argc() - 2;
        if (firstZSet(c, c.argv(), 1, keyCount) < 0) {
            block(c, 1, keyCount, timeoutAt);
            return;
        }
        popAndReply(c, c.argv(), 1, keyCount, min, -1, true, false, true);
    }

    /**
     * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] ({@code numkeysIdx} 1), and BZMPOP timeout numkeys ...
     * ({@code numkeysIdx} 2, blocking): [key, [[member, score], ...]], or a null array.
     */
    static void zmpop(CommandContext c, int numkeysIdx, boolean blocking) {
        long numkeys = c.longArg(numkeysIdx, "ERR numkeys should be greater than 0");
        if (numkeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc()) {
            throw new CommandError(Errors.SYNTAX);
        }
        long whereIdx = numkeysIdx + numkeys + 1;
        if (whereIdx >= c.argc()) {
            throw new CommandError(Errors.SYNTAX);
        }
        boolean min;
        if (c.argIs((int) whereIdx, "min")) {
            min = true;
        } else if (c.argIs((int) whereIdx, "max")) {
            min = false;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = (int) whereIdx + 1; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (count == -1 && c.argIs(j, "count") && more > 0) {
                j++;
                count = c.longArg(j, "ERR count should be greater than 0");
                if (count < 1) {
                    throw new CommandError("ERR count should be greater than 0");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (count == -1) {
            count = 1;
        }
        int from = numkeysIdx + 1;
        if (blocking) {
            long timeoutAt = c.timeoutArg(1);
            if (firstZSet(c, c.argv(), from, (int) numkeys) < 0) {
                block(c, from, (int) numkeys, timeoutAt);
                return;
            }
        }
        popAndReply(c, c.argv(), from, (int) numkeys, min, count, true, true, true);
    }

    /**
     * The index of the first key among {@code keys[from, from+keyCount)} that holds a sorted set, or -1; a key of
     * another type before it answers WRONGTYPE, as Redis checks them in order.
     */
    private static int firstZSet(CommandContext c, byte[][] keys, int from, int keyCount) {
        for (int i = from; i < from + keyCount; i++) {
            if (writeZSet(c, keys[i]) != null) {
                return i;
            }
        }
        return -1;
    }

    /** Blocks on {@code argv[from, from+keyCount)}, or answers a null array where blocking is not allowed. */
    private static void block(CommandContext c, int from, int keyCount, long timeoutAt) {
        if (c.blockingDenied()) {
            c.reply().nullArray();
            return;
        }
        c.blockForKeys(Arrays.copyOfRange(c.argv(), from, from + keyCount), timeoutAt,
                       dev.peregrine.storage.ValueType.ZSET);
    }

    /**
     * The core of ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms (Redis's genericZpopCommand): pops from the
     * first non-empty sorted set among {@code keys[from, from+keyCount)} and writes the whole reply.
     * A key of another type answers WRONGTYPE (thrown as {@link CommandError} before any reply is written).
     *
     * @param count elements to pop; -1 for the single-element form (one element, flat reply); 0 answers an empty
     *        array once a sorted set is found
     * @param emitKey whether the reply names the key (BZPOPMIN/BZPOPMAX flat: [key, member, score];
     *        ZMPOP/BZMPOP nested: [key, [[member, score], ...]])
     * @param nested whether each element is a [member, score] pair (RESP3 with count, and ZMPOP always)
     * @param nilWhenEmpty reply a null array (ZMPOP) instead of an empty array when no key has elements
     * @return whether elements were popped
     */
    public static boolean popAndReply(CommandContext c, byte[][] keys, int from, int keyCount, boolean min,
                                      long count, boolean emitKey, boolean nested, boolean nilWhenEmpty) {
        ZSetValue z = null;
        byte[] key = null;
        for (int i = from; i < from + keyCount; i++) {
            z = writeZSet(c, keys[i]);
            if (z != null) {
                key = keys[i];
                break;
            }
        }
        ReplyWriter r = c.reply();
        if (z == null) {
            if (nilWhenEmpty) {
                r.nullArray();
            } else {
                r.emptyArray();
            }
            return false;
        }
        if (count == 0) {
            r.emptyArray();
            return false;
        }
        if (count == -1) {
            count = 1;
        }
        long llen = z.size();
        int n = (int) Math.min(count, llen);
        if (!nested && !emitKey) {
            r.arrayHeader(n * 2);
        } else if (nested && !emitKey) {
            r.arrayHeader(n);
        } else if (!nested) {
            r.arrayHeader(n * 2 + 1);
            r.bulk(key);
        } else {
            r.arrayHeader(2);
            r.bulk(key);
            r.arrayHeader(n);
        }
        int[] left = {n};
        z.visit(min ? 0 : llen - 1, !min, (m, s) -> {
            if (nested) {
                r.arrayHeader(2);
            }
            r.bulk(m);
            r.doubleValue(s);
            return --left[0] > 0;
        });
        if (min) {
            z.removeRange(0, n - 1);
        } else {
            z.removeRange(llen - n, llen - 1);
        }
        Database db = c.db();
        c.notify(KeyspaceEvents.ZSET, min ? "zpopmin" : "zpopmax", db, key);
        boolean removed = z.size() == 0;
        if (removed) {
            db.remove(key);
        }
        c.keyModified(db, key);
        if (removed) {
            c.notify(KeyspaceEvents.GENERIC, "del", db, key);
        }
        c.dirty(n - 1);
        if (emitKey && c.propagating()) {
            // BZPOPMIN/BZPOPMAX as ZPOPMIN/ZPOPMAX key; ZMPOP/BZMPOP with the number popped, as Redis
            byte[] cmd = min ? Effects.ZPOPMIN : Effects.ZPOPMAX;
            c.propagateAs(nested ? new byte[][] {cmd, key, Effects.number(n)} : new byte[][] {cmd, key});
        }
        return true;
    }

    // ---------------------------------------------------------------- ZRANDMEMBER

    /** ZRANDMEMBER key [count [WITHSCORES]]. */
    static void zrandmember(CommandContext c) {
        ReplyWriter r = c.reply();
        if (c.argc() >= 3) {
            long l = c.longArg(2);
            if (l == Long.MIN_VALUE) {
                throw new CommandError(RANGE_ERROR);
            }
            boolean withScores = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) {
                throw new CommandError(Errors.SYNTAX);
            } else if (c.argc() == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandError("ERR value is out of range");
                }
            }
            randomWithCount(c, l, withScores);
            return;
        }
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null) {
            r.nullBulk();
            return;
        }
        Result one = new Result();
        z.visit(RANDOM.nextInt(z.size()), false, (m, s) -> !one.add(m, s));
        r.bulk(one.members[0]);
    }

    private static void randomWithCount(CommandContext c, long l, boolean withScores) {
        ZSetValue z = readZSet(c, c.arg(1));
        ReplyWriter r = c.reply();
        if (z == null || l == 0) {
            r.emptyArray();
            return;
        }
        boolean unique = l > 0;
        long count = unique ? l : -l;
        int size = z.size();
        Result res = new Result();
        if (!unique || count == 1) {
            if (count > Integer.MAX_VALUE / 2) {
                // Redis would stream until the output buffer limit closes the client; we refuse up front
                throw new CommandError("ERR value is out of range");
            }
            for (long i = 0; i < count; i++) {
                z.visit(RANDOM.nextInt(size), false, (m, s) -> !res.add(m, s));
            }
        } else if (count >= size) {
            z.forEach(res::add);
        } else if (count * 3 <= size) {
            Set<Integer> seen = new HashSet<>();
            while (seen.size() < count) {
                int rank = RANDOM.nextInt(size);
                if (seen.add(rank)) {
                    z.visit(rank, false, (m, s) -> !res.add(m, s));
                }
            }
        } else {
            Result all = new Result();
            z.forEach(all::add);
            for (int i = 0; i < count; i++) {
                int j = i + RANDOM.nextInt(size - i);
                byte[] tm = all.members[i];
                double ts = all.scores[i];
                all.members[i] = all.members[j];
                all.scores[i] = all.scores[j];
                all.members[j] = tm;
                all.scores[j] = ts;
                res.add(all.members[i], all.scores[i]);
            }
        }
        res.write(r, withScores);
    }

    // ---------------------------------------------------------------- ZSCAN

    /** ZSCAN key cursor [MATCH pattern] [COUNT count]. */
    static void zscan(CommandContext c) {
        long cursor = ScanArgs.parseCursor(c.arg(2));
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null) {
            ScanArgs.replyEmpty(c);
            return;
        }
        ScanArgs a = ScanArgs.parseOptions(c, 3, false);
        Result out = new Result();
        long[] visited = {0};
        long maxIterations = a.count * 10;
        do {
            cursor = z.scan(cursor, (m, s) -> {
                visited[0]++;
                if (a.matches(m)) {
                    out.add(m, s);
                }
                return true;
            });
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < a.count);
        ReplyWriter r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.arrayHeader(out.n * 2);
        for (int i = 0; i < out.n; i++) {
            r.bulk(out.members[i]);
            r.bulk(DoubleFormat.format(out.scores[i]).getBytes(StandardCharsets.US_ASCII));
        }
    }

    // ---------------------------------------------------------------- set operations

    static final int UNION = 0;
    static final int INTER = 1;
    static final int DIFF = 2;
    private static final int AGG_SUM = 0;
    private static final int AGG_MIN = 1;
    private static final int AGG_MAX = 2;

    /** One input of a set operation: a sorted set, a plain set (scores 1) or nothing. */
    private static final class Source {
        final Object value;
        double weight = 1;

        Source(Object value) {
            this.value = value;
        }

        int size() {
            return value == null ? 0 : value instanceof ZSetValue z ? z.size() : ((SetValue) value).size();
        }

        /** The member's score, or NaN when absent. */
        double score(byte[] m) {
            if (value == null) {
                return Double.NaN;
            }
            if (value instanceof ZSetValue z) {
                return z.score(m);
            }
            return ((SetValue) value).contains(m) ? 1.0 : Double.NaN;
        }

        void forEach(dev.peregrine.storage.zset.ZVisitor v) {
            if (value instanceof ZSetValue z) {
                z.forEach(v);
            } else if (value != null) {
                ((SetValue) value).forEach(m -> v.visit(m, 1.0));
            }
        }
    }

    private static double aggregate(double target, double val, int agg) {
        return switch (agg) {
            case AGG_SUM -> {
                double t = target + val;
                yield Double.isNaN(t) ? 0.0 : t;
            }
            case AGG_MIN -> val < target ? val : target;
            default -> val > target ? val : target;
        };
    }

    private static byte[] encode(double d) {
        long v = Double.doubleToRawLongBits(d);
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static double decode(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return Double.longBitsToDouble(v);
    }

    /**
     * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's zunionInterDiffGenericCommand).
     *
     * @param numkeysIdx index of the numkeys argument
     */
    static void setOpGeneric(CommandContext c, byte[] dstKey, int numkeysIdx, int op, boolean cardinalityOnly) {
        long setnum = c.longArg(numkeysIdx);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '"
                    + c.command().spec().fullName() + "' command");
        }
        if (setnum > c.argc() - (numkeysIdx + 1)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            Object o = c.lookupRead(c.arg(j));
            if (o != null && !(o instanceof ZSetValue) && !(o instanceof SetValue)) {
                throw new CommandError(Errors.WRONGTYPE);
            }
            src[i] = new Source(o);
        }
        int agg = AGG_SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = c.argc() - j;
        while (remaining > 0) {
            if (op != DIFF && !cardinalityOnly && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    double w = Scores.parseScore(c.arg(j));
                    if (Double.isNaN(w)) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                    src[i].weight = w;
                }
            } else if (op != DIFF && !cardinalityOnly && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) {
                    agg = AGG_SUM;
                } else if (c.argIs(j, "min")) {
                    agg = AGG_MIN;
                } else if (c.argIs(j, "max")) {
                    agg = AGG_MAX;
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
                j++;
                remaining -= 2;
            } else if (dstKey == null && !cardinalityOnly && c.argIs(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && c.argIs(j, "limit")) {
                limit = c.longArg(j + 1, "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
                j += 2;
                remaining -= 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (op != DIFF) {
            Arrays.sort(src, Comparator.comparingInt(Source::size));
        }
        ZSetLimits limits = limits(c);
        ZSetValue result = ZSetValue.createSkiplist(dstKey != null ? dstKey : c.arg(numkeysIdx + 1));
        long[] maxLen = {0};
        long cardinality = 0;
        final int aggregate = agg;
        if (op == INTER) {
            if (src[0].size() > 0) {
                long[] card = {0};
                long lim = limit;
                src[0].forEach((m, s0) -> {
                    double score = src[0].weight * s0;
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    for (int k = 1; k < n; k++) {
                        double value;
                        if (src[k].value == src[0].value) {
                            value = s0 * src[k].weight;
                        } else {
                            double found = src[k].score(m);
                            if (Double.isNaN(found)) {
                                return true;
                            }
                            value = found * src[k].weight;
                        }
                        score = aggregate(score, value, aggregate);
                    }
                    if (cardinalityOnly) {
                        card[0]++;
                        return !(lim > 0 && card[0] >= lim);
                    }
                    result.insertNew(m, score, limits);
                    maxLen[0] = Math.max(maxLen[0], m.length);
                    return true;
                });
                cardinality = card[0];
            }
        } else if (op == UNION) {
            BytesHashMap acc = new BytesHashMap(src[n - 1].size());
            for (Source s : src) {
                s.forEach((m, s0) -> {
                    double score = s.weight * s0;
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    byte[] existing = acc.get(m);
                    if (existing == null) {
                        maxLen[0] = Math.max(maxLen[0], m.length);
                        acc.put(m, encode(score));
                    } else {
                        acc.put(m, encode(aggregate(decode(existing), score, aggregate)));
                    }
                    return true;
                });
            }
            acc.forEach((m, s) -> result.insertNew(m, decode(s), limits));
        } else {
            src[0].forEach((m, s0) -> {
                for (int k = 1; k < n; k++) {
                    if (src[k].value == src[0].value || !Double.isNaN(src[k].score(m))) {
                        return true;
                    }
                }
                result.insertNew(m, s0, limits);
                maxLen[0] = Math.max(maxLen[0], m.length);
                return true;
            });
        }
        ReplyWriter r = c.reply();
        if (cardinalityOnly) {
            r.integer(cardinality);
            return;
        }
        if (dstKey != null) {
            Database db = c.db();
            if (result.size() > 0) {
                result.convertToListpackIfNeeded(maxLen[0], limits);
                db.put(dstKey, result);
                c.keyModified(db, dstKey);
                c.signalKeyAsReady(db, dstKey);
                c.notify(KeyspaceEvents.ZSET, op == UNION ? "zunionstore" : op == INTER ? "zinterstore" : "zdiffstore",
                        db, dstKey);
                r.integer(result.size());
            } else {
                if (db.remove(dstKey) != null) {
                    c.keyModified(db, dstKey);
                    c.notify(KeyspaceEvents.GENERIC, "del", db, dstKey);
                }
                r.integer(0);
            }
            return;
        }
        Result out = new Result();
        result.forEach(out::add);
        out.write(r, withScores);
    }
}
