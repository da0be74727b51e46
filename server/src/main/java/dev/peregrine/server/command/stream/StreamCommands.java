package dev.peregrine.server.command.stream;

import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.ValueType;
import dev.peregrine.storage.stream.Consumer;
import dev.peregrine.storage.stream.ConsumerGroup;
import dev.peregrine.storage.stream.Nack;
import dev.peregrine.storage.stream.StreamId;
import dev.peregrine.storage.stream.StreamValue;

import java.util.Arrays;
import java.util.Map;

import static dev.peregrine.server.command.stream.StreamArgs.bytes;
import static dev.peregrine.server.command.stream.StreamArgs.str;

/**
 * The stream commands without consumer-group administration (Redis 7.2's t_stream.c): XADD, XLEN, XRANGE,
 * XREVRANGE, XDEL, XTRIM, XSETID, XREAD and XREADGROUP (blocking through the engine's blocked-keys machinery:
 * a blocked read runs again when the stream is signalled). Effects are propagated as Redis does: XADD with the
 * generated ID and exact trim bounds, XREADGROUP as XCLAIM / XGROUP SETID / XGROUP CREATECONSUMER.
 * Executor-only.
 */
public final class StreamCommands {
    static final byte[] XCLAIM = bytes("XCLAIM");
    static final byte[] XGROUP = bytes("XGROUP");
    static final byte[] SETID = bytes("SETID");
    static final byte[] ENTRIESREAD = bytes("ENTRIESREAD");
    static final byte[] CREATECONSUMER = bytes("CREATECONSUMER");
    private static final byte[] ZERO = bytes("0");
    private static final byte[] TIME = bytes("TIME");
    private static final byte[] RETRYCOUNT = bytes("RETRYCOUNT");
    private static final byte[] FORCE = bytes("FORCE");
    private static final byte[] JUSTID = bytes("JUSTID");
    private static final byte[] LASTID = bytes("LASTID");
    private static final byte[] EQUALS = bytes("=");

    private StreamCommands() {
    }

    public static void register(CommandTable t) {
        t.register("xadd", StreamCommands::xadd);
        t.register("xlen", c -> {
            StreamValue s = StreamArgs.read(c, c.arg(1));
            c.reply().integer(s == null ? 0 : s.length());
        });
        t.register("xrange", c -> xrange(c, false));
        t.register("xrevrange", c -> xrange(c, true));
        t.register("xdel", StreamCommands::xdel);
        t.register("xtrim", StreamCommands::xtrim);
        t.register("xsetid", StreamCommands::xsetid);
        t.register("xread", c -> xread(c, false));
        t.register("xreadgroup", c -> xread(c, true));
        StreamGroupCommands.register(t);
    }

    // ---------------------------------------------------------------- XADD / XTRIM

    /** Parsed trimming options of XADD and XTRIM (Redis's streamAddTrimArgs). */
    static final class TrimArgs {
        boolean minid;
        boolean strategy;
        long maxlen;
        StreamId minId;
        boolean approx;
        long limit;
        int strategyArgIdx;
        boolean noMkstream;
        StreamId id;
        boolean idGiven;
        boolean seqGiven = true;
    }

    /** Parses from argument 2; for XADD returns the index of the ID argument. */
    static int parseAddOrTrim(CommandContext c, TrimArgs a, boolean xadd) {
        boolean limitGiven = false;
        int i = 2;
        for (; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            byte[] opt = c.arg(i);
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (c.argIs(i, "maxlen") && more > 0) {
                if (a.strategy) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = c.arg(i + 1);
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                a.maxlen = c.longArg(i + 1);
                if (a.maxlen < 0) {
                    throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                a.strategy = true;
                a.minid = false;
                a.strategyArgIdx = i;
            } else if (c.argIs(i, "minid") && more > 0) {
                if (a.strategy) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                byte[] next = c.arg(i + 1);
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                a.minId = StreamArgs.parseStrict(c.arg(i + 1));
                i++;
                a.strategy = true;
                a.minid = true;
                a.strategyArgIdx = i;
            } else if (c.argIs(i, "limit") && more > 0) {
                a.limit = c.longArg(i + 1);
                if (a.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && c.argIs(i, "nomkstream")) {
                a.noMkstream = true;
            } else if (xadd) {
                boolean[] seqGiven = new boolean[1];
                a.id = StreamArgs.parseId(c.arg(i), 0, true, seqGiven);
                a.seqGiven = seqGiven[0];
                a.idGiven = true;
                break;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (a.limit != 0 && !a.strategy) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && !a.strategy) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (c.client().id() < 0) {
            // AOF loading or a primary's stream: the bound was rewritten exactly, no limit applies
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            a.limit = 100 * c.engine().config().longValue("stream-node-max-entries");
            if (a.limit <= 0 || a.limit > 10000) {
                a.limit = 10000;
            }
        } else {
            a.limit = 0;
        }
        return i;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        return s.trim(a.minid, a.maxlen, a.minId, a.approx, a.limit);
    }

    /** The arguments with an approximate trim made exact (Redis's streamRewriteApproxSpecifier/TrimArgument). */
    private static byte[][] exactTrimArgv(byte[][] argv, StreamValue s, TrimArgs a) {
        argv[a.strategyArgIdx - 1] = EQUALS;
        argv[a.strategyArgIdx] = a.minid ? s.firstIdWithTombstones().toBytes() : Numbers.toBytes(s.length());
        return argv;
    }

    static void xadd(CommandContext c) {
        TrimArgs a = new TrimArgs();
        int idPos = parseAddOrTrim(c, a, true);
        int fieldPos = idPos + 1;
        int n = c.argc() - fieldPos;
        if (n < 2 || n % 2 == 1) {
            throw c.wrongArity();
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.write(c, key);
        if (s == null) {
            if (a.noMkstream) {
                c.reply().nullBulk();
                return;
            }
        } else if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId last = s == null ? StreamId.MIN : s.lastId();
        StreamId id;
        if (!a.idGiven) {
            id = s == null ? new StreamId(c.now(), 0) : s.autoId(c.now());
        } else if (!a.seqGiven) {
            id = s == null ? (a.id.ms == 0 ? new StreamId(0, 1) : new StreamId(a.id.ms, 0)) : s.autoSeq(a.id.ms);
        } else {
            id = a.id.compareTo(last) > 0 ? a.id : null;
        }
        if (id == null) {
            if (a.idGiven && !a.seqGiven && s != null && a.id.ms == s.lastId().ms) {
                // ms-* past the last sequence number: Redis reports it as a size failure
                throw new CommandError("ERR Elements are too large to be stored");
            }
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        if (s == null) {
            s = new StreamValue(key);
            c.db().put(key, s);
        }
        byte[][] fv = Arrays.copyOfRange(c.argv(), fieldPos, c.argc());
        s.append(id, fv, c.engine().config().longValue("stream-node-max-bytes"),
                c.engine().config().longValue("stream-node-max-entries"));
        byte[] idBytes = id.toBytes();
        c.reply().bulk(idBytes);
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.STREAM, "xadd", c.db(), key);
        boolean rewrite = false;
        byte[][] argv = c.argv();
        if (a.strategy) {
            if (trim(s, a) > 0) {
                c.notify(KeyspaceEvents.STREAM, "xtrim", c.db(), key);
            }
            if (a.approx && c.propagating()) {
                argv = exactTrimArgv(argv.clone(), s, a);
                rewrite = true;
            }
        }
        if ((!a.idGiven || !a.seqGiven) && c.propagating()) {
            if (!rewrite) {
                argv = argv.clone();
            }
            argv[idPos] = idBytes;
            rewrite = true;
        }
        if (rewrite) {
            c.propagateAs(argv);
        }
        c.signalKeyAsReady(c.db(), key);
    }

    static void xtrim(CommandContext c) {
        TrimArgs a = new TrimArgs();
        parseAddOrTrim(c, a, false);
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.write(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = trim(s, a);
        if (deleted > 0) {
            if (a.approx && c.propagating()) {
                c.propagateAs(exactTrimArgv(c.argv().clone(), s, a));
            }
            c.keyModified(c.db(), key);
            c.dirty(deleted - 1);
            c.notify(KeyspaceEvents.STREAM, "xtrim", c.db(), key);
        }
        c.reply().integer(deleted);
    }

    // ---------------------------------------------------------------- XRANGE / XDEL / XSETID

    static void xrange(CommandContext c, boolean rev) {
        byte[] startArg = c.arg(rev ? 3 : 2);
        byte[] endArg = c.arg(rev ? 2 : 3);
        StreamId start = StreamArgs.parseBound(startArg, true);
        StreamId end = StreamArgs.parseBound(endArg, false);
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            if (c.argIs(j, "count") && c.argc() - j - 1 >= 1) {
                count = c.longArg(j + 1);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Object e = c.lookupRead(c.arg(1));
        if (e == null) {
            c.reply().emptyArray();
            return;
        }
        if (!(e instanceof StreamValue s)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        replyRange(c.reply(), s, start, end, count == -1 ? 0 : count, rev);
    }

    /** Entries in [start, end] as [[id, [field, value, ...]], ...]; count 0 = all. */
    static int replyRange(ReplyWriter r, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        s.range(start, end, rev, (id, fv) -> {
            out.add(new Object[] {id, fv});
            return count == 0 || out.size() < count;
        });
        r.arrayHeader(out.size());
        for (Object[] e : out) {
            replyEntry(r, (StreamId) e[0], (byte[][]) e[1]);
        }
        return out.size();
    }

    static void replyEntry(ReplyWriter r, StreamId id, byte[][] fv) {
        r.arrayHeader(2);
        r.bulk(id.toBytes());
        r.arrayHeader(fv.length);
        for (byte[] b : fv) {
            r.bulk(b);
        }
    }

    static void xdel(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.write(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc() - 2];
        for (int j = 2; j < c.argc(); j++) {
            ids[j - 2] = StreamArgs.parseStrict(c.arg(j));
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            c.keyModified(c.db(), key);
            c.dirty(deleted - 1);
            c.notify(KeyspaceEvents.STREAM, "xdel", c.db(), key);
        }
        c.reply().integer(deleted);
    }

    static void xsetid(CommandContext c) {
        StreamId id = StreamArgs.parseStrict(c.arg(2));
        long entriesAdded = -1;
        StreamId maxXdel = StreamId.MIN;
        for (int i = 3; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            if (c.argIs(i, "entriesadded") && more > 0) {
                entriesAdded = c.longArg(i + 1);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
                i++;
            } else if (c.argIs(i, "maxdeletedid") && more > 0) {
                maxXdel = StreamArgs.parseStrict(c.arg(i + 1));
                if (id.compareTo(maxXdel) < 0) {
                    throw new CommandError(
                            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.write(c, key);
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        if (id.compareTo(s.maxDeletedId()) < 0) {
            throw new CommandError("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
        }
        if (s.length() > 0) {
            StreamId maxId = s.edgeId(false);
            if (id.compareTo(maxId) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError(
                        "ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId(id);
        if (entriesAdded != -1) {
            s.entriesAdded(entriesAdded);
        }
        if (!maxXdel.isZero()) {
            s.maxDeletedId(maxXdel);
        }
        c.reply().ok();
        c.keyModified(c.db(), key);
        c.notify(KeyspaceEvents.STREAM, "xsetid", c.db(), key);
    }

    // ---------------------------------------------------------------- XREAD / XREADGROUP

    static void xread(CommandContext c, boolean group) {
        long timeoutAt = -1;
        long count = 0;
        int streamsArg = 0;
        int streamsCount = 0;
        byte[] groupName = null;
        byte[] consumerName = null;
        boolean noack = false;
        String name = group ? "xreadgroup" : "xread";
        for (int i = 1; i < c.argc(); i++) {
            int more = c.argc() - i - 1;
            if (c.argIs(i, "block") && more > 0) {
                i++;
                timeoutAt = msTimeout(c, i);
            } else if (c.argIs(i, "count") && more > 0) {
                i++;
                count = c.longArg(i);
                if (count < 0) {
                    count = 0;
                }
            } else if (c.argIs(i, "streams") && more > 0) {
                streamsArg = i + 1;
                streamsCount = c.argc() - streamsArg;
                if (streamsCount % 2 != 0) {
                    throw new CommandError("ERR Unbalanced " + name.toUpperCase(java.util.Locale.ROOT) + " list of streams: for each stream key an "
                            + "ID or '" + (group ? '>' : '$') + "' must be specified.");
                }
                streamsCount /= 2;
                break;
            } else if (c.argIs(i, "group") && more >= 2) {
                if (!group) {
                    throw new CommandError(
                            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = c.arg(i + 1);
                consumerName = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "noack")) {
                if (!group) {
                    throw new CommandError(
                            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (streamsArg == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (group && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        StreamId[] ids = new StreamId[streamsCount];
        ConsumerGroup[] groups = group ? new ConsumerGroup[streamsCount] : null;
        for (int k = 0; k < streamsCount; k++) {
            byte[] key = c.arg(streamsArg + k);
            byte[] idArg = c.arg(streamsArg + streamsCount + k);
            Object o = c.db().lookup(key, c.now());
            if (o != null && !(o instanceof StreamValue)) {
                throw new CommandError(Errors.WRONGTYPE);
            }
            StreamValue s = (StreamValue) o;
            if (group) {
                ConsumerGroup g = s == null ? null : s.group(groupName);
                if (g == null) {
                    throw new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '"
                            + str(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (group) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to "
                            + "read the history of this consumer by specifying a proper ID, or use the > ID to get "
                            + "new messages. The $ ID would just return an empty result set.");
                }
                ids[k] = s == null ? StreamId.MIN : s.lastId();
                continue;
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!group) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the "
                            + "GROUP <group> <consumer> option.");
                }
                ids[k] = StreamId.MAX;
                continue;
            }
            ids[k] = StreamArgs.parseStrict(idArg);
        }
        ReplyWriter r = c.reply();
        int served = 0;
        int headerMark = -1;
        io.netty.buffer.ByteBuf buf = r.buffer();
        io.netty.buffer.ByteBuf body = null;
        // replies are built in a scratch writer first: the number of served streams is known only at the end
        ReplyWriter w = null;
        for (int k = 0; k < streamsCount; k++) {
            byte[] key = c.arg(streamsArg + k);
            Object o = c.lookupRead(key);
            if (o == null) {
                continue;
            }
            StreamValue s = (StreamValue) o;
            StreamId gt = ids[k];
            boolean serve = false;
            boolean history = false;
            Consumer consumer = null;
            if (group) {
                ConsumerGroup g = groups[k];
                if (!gt.equals(StreamId.MAX)) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0) {
                    StreamId maxId = s.edgeId(false);
                    if (maxId.compareTo(g.lastId) > 0) {
                        serve = true;
                        gt = g.lastId;
                    }
                }
                c.db().lookupForWrite(key, c.now());
                consumer = g.consumer(consumerName);
                if (consumer == null) {
                    consumer = g.createConsumer(consumerName, c.now());
                    c.keyModified(c.db(), key);
                    c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", c.db(), key);
                    if (noack && c.propagating()) {
                        // without NOACK the XCLAIMs create the consumer where they are replayed
                        c.alsoPropagate(XGROUP, CREATECONSUMER, key, groupName, consumerName);
                    }
                }
                consumer.seenTime = c.now();
            } else if (s.length() > 0) {
                if (s.edgeId(false).compareTo(gt) > 0) {
                    serve = true;
                }
            }
            if (!serve) {
                continue;
            }
            if (w == null) {
                body = buf.alloc().buffer(256);
                w = new ReplyWriter();
                w.wrap(body, r.protocol());
            }
            served++;
            if (!r.resp3()) {
                w.arrayHeader(2);
            }
            w.bulk(key);
            StreamId start = gt.next();
            if (group) {
                if (history) {
                    replyFromConsumerPel(c, w, s, start, count, consumer);
                } else {
                    replyGroupRange(c, w, s, start, count, groups[k], consumer, noack, key, groupName);
                }
                c.keyModified(c.db(), key);
            } else {
                replyRange(w, s, start, StreamId.MAX, count, false);
            }
        }
        if (group) {
            c.preventPropagation();
        }
        if (served > 0) {
            if (r.resp3()) {
                r.mapHeader(served);
            } else {
                r.arrayHeader(served);
            }
            buf.writeBytes(body);
            body.release();
            return;
        }
        if (timeoutAt != -1) {
            if (c.blockingDenied()) {
                r.nullArray();
                return;
            }
            // '$' becomes the last ID seen now, so a re-run after a wake-up reads what arrived since
            for (int k = 0; k < streamsCount; k++) {
                int idx = streamsArg + streamsCount + k;
                byte[] idArg = c.arg(idx);
                if (idArg.length == 1 && idArg[0] == '$') {
                    c.argv()[idx] = ids[k].toBytes();
                }
            }
            byte[][] keys = Arrays.copyOfRange(c.argv(), streamsArg, streamsArg + streamsCount);
            c.blockForKeys(keys, timeoutAt, ValueType.STREAM, group);
            return;
        }
        r.nullArray();
    }

    /** BLOCK milliseconds: 0 = forever, else an absolute Unix ms time. */
    private static long msTimeout(CommandContext c, int i) {
        long ms = c.longArg(i, "ERR timeout is not an integer or out of range");
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms == 0) {
            return 0;
        }
        if (ms > Long.MAX_VALUE - c.now()) {
            throw new CommandError("ERR timeout is out of range");
        }
        return c.now() + ms;
    }

    /** New entries for a group ('>'): delivers, fills the PELs, moves the group's last ID, propagates. */
    private static void replyGroupRange(CommandContext c, ReplyWriter w, StreamValue s, StreamId start, long count,
            ConsumerGroup g, Consumer consumer, boolean noack, byte[] key, byte[] groupName) {
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        s.range(start, StreamId.MAX, false, (id, fv) -> {
            out.add(new Object[] {id, fv});
            return count == 0 || out.size() < count;
        });
        boolean propagateLastId = false;
        long now = c.now();
        w.arrayHeader(out.size());
        for (Object[] e : out) {
            StreamId id = (StreamId) e[0];
            if (id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
                    g.entriesRead++;
                } else if (s.entriesAdded() != 0) {
                    g.entriesRead = s.estimateDistanceFromFirstEverEntry(id);
                }
                g.lastId = id;
                // with acknowledgements the XCLAIMs carry the last ID (LASTID); only NOACK needs XGROUP SETID
                propagateLastId = noack;
            }
            replyEntry(w, id, (byte[][]) e[1]);
            if (!noack) {
                Nack nack = g.pel.get(id);
                if (nack == null) {
                    nack = new Nack(consumer, now, 1);
                    g.pel.put(id, nack);
                    consumer.pel.put(id, nack);
                } else {
                    nack.consumer.pel.remove(id);
                    nack.consumer = consumer;
                    nack.deliveryTime = now;
                    nack.deliveryCount = 1;
                    consumer.pel.put(id, nack);
                }
                consumer.activeTime = now;
                if (c.propagating()) {
                    c.alsoPropagate(xclaimEffect(key, groupName, id, nack, g));
                }
            }
        }
        if (propagateLastId && c.propagating()) {
            c.alsoPropagate(setIdEffect(key, groupName, g));
        }
    }

    /** History of a consumer (an explicit ID): its pending entries from {@code start}; deleted ones as nil. */
    private static void replyFromConsumerPel(CommandContext c, ReplyWriter w, StreamValue s, StreamId start,
            long count, Consumer consumer) {
        java.util.List<Map.Entry<StreamId, Nack>> list = new java.util.ArrayList<>();
        for (Map.Entry<StreamId, Nack> e : consumer.pel.tailMap(start, true).entrySet()) {
            if (count != 0 && list.size() >= count) {
                break;
            }
            list.add(e);
        }
        w.arrayHeader(list.size());
        for (Map.Entry<StreamId, Nack> e : list) {
            byte[][] fv = s.get(e.getKey());
            if (fv == null) {
                w.arrayHeader(2);
                w.bulk(e.getKey().toBytes());
                w.nullArray();
            } else {
                replyEntry(w, e.getKey(), fv);
                e.getValue().deliveryTime = c.now();
                e.getValue().deliveryCount++;
            }
        }
    }

    /** XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID last (streamPropagateXCLAIM). */
    static byte[][] xclaimEffect(byte[] key, byte[] group, StreamId id, Nack nack, ConsumerGroup g) {
        return new byte[][] {XCLAIM, key, group, nack.consumer.name(), ZERO, id.toBytes(), TIME,
            Numbers.toBytes(nack.deliveryTime), RETRYCOUNT, Numbers.toBytes(nack.deliveryCount), FORCE, JUSTID,
            LASTID, g.lastId.toBytes()};
    }

    /** XGROUP SETID key group last ENTRIESREAD n (streamPropagateGroupID). */
    static byte[][] setIdEffect(byte[] key, byte[] group, ConsumerGroup g) {
        return new byte[][] {XGROUP, SETID, key, group, g.lastId.toBytes(), ENTRIESREAD,
            Numbers.toBytes(g.entriesRead)};
    }
}
