package dev.peregrine.server.command.stream;

import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.storage.stream.Consumer;
import dev.peregrine.storage.stream.ConsumerGroup;
import dev.peregrine.storage.stream.Nack;
import dev.peregrine.storage.stream.StreamId;
import dev.peregrine.storage.stream.StreamValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.peregrine.server.command.stream.StreamArgs.str;

/**
 * Consumer groups and introspection (Redis 7.2's t_stream.c): XGROUP and its subcommands, XACK, XPENDING, XCLAIM,
 * XAUTOCLAIM and XINFO STREAM / GROUPS / CONSUMERS. Claims are propagated as their effects (one XCLAIM ... FORCE
 * JUSTID per entry, XGROUP SETID when only the group's last ID moved). Executor-only.
 */
final class StreamGroupCommands {
    private static final String[] XGROUP_HELP = {
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Make a consumer group on a stream, starting after <id> ($ = the current last ID). Options:",
        "    * MKSTREAM: make an empty stream when the key is missing.",
        "    * ENTRIESREAD entries_read: the group's logical read counter.",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Add a consumer to a group, when it is not there yet.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove a consumer and its pending entries from a group.",
        "DESTROY <key> <groupname>",
        "    Remove a consumer group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Move the group's last delivered ID (and optionally its read counter).",
        "HELP",
        "    Print this help.",
    };
    private static final String[] XINFO_HELP = {
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Describe the consumers of a group.",
        "GROUPS <key>",
        "    Describe the consumer groups of a stream.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Describe a stream; FULL lists entries and groups too (COUNT limits each list, default 10, 0 = all).",
        "HELP",
        "    Print this help.",
    };

    private StreamGroupCommands() {
    }

    static void register(CommandTable t) {
        t.register("xgroup|create", StreamGroupCommands::xgroup);
        t.register("xgroup|setid", StreamGroupCommands::xgroup);
        t.register("xgroup|destroy", StreamGroupCommands::xgroup);
        t.register("xgroup|createconsumer", StreamGroupCommands::xgroup);
        t.register("xgroup|delconsumer", StreamGroupCommands::xgroup);
        t.register("xgroup|help", c -> help(c, XGROUP_HELP));
        t.register("xack", StreamGroupCommands::xack);
        t.register("xpending", StreamGroupCommands::xpending);
        t.register("xclaim", StreamGroupCommands::xclaim);
        t.register("xautoclaim", StreamGroupCommands::xautoclaim);
        t.register("xinfo|stream", StreamGroupCommands::xinfoStream);
        t.register("xinfo|groups", StreamGroupCommands::xinfoGroups);
        t.register("xinfo|consumers", StreamGroupCommands::xinfoConsumers);
        t.register("xinfo|help", c -> help(c, XINFO_HELP));
    }

    private static void help(CommandContext c, String[] lines) {
        ReplyWriter r = c.reply();
        r.arrayHeader(lines.length);
        for (String l : lines) {
            r.simpleString(l);
        }
    }

    private static CommandError subcommandSyntax(CommandContext c) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1)
                + "'. Try " + c.argString(0).toUpperCase(Locale.ROOT) + " HELP.");
    }

    // ---------------------------------------------------------------- XGROUP

    static void xgroup(CommandContext c) {
        String op = c.argLower(1);
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        if (op.equals("create") || op.equals("setid")) {
            boolean create = op.equals("create");
            int i = 5;
            while (i < c.argc()) {
                if (create && c.argIs(i, "mkstream")) {
                    mkstream = true;
                    i++;
                } else if (c.argIs(i, "entriesread") && i + 1 < c.argc()) {
                    entriesRead = c.longArg(i + 1);
                    if (entriesRead < 0 && entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
                        throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                    }
                    i += 2;
                } else {
                    throw subcommandSyntax(c);
                }
            }
        }
        byte[] key = c.arg(2);
        byte[] groupName = c.arg(3);
        StreamValue s = StreamArgs.write(c, key);
        if (s == null && !mkstream) {
            throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                    + "may want to use the MKSTREAM option to create an empty stream automatically.");
        }
        ConsumerGroup g = null;
        if (op.equals("setid") || op.equals("createconsumer") || op.equals("delconsumer")) {
            g = s.group(groupName);
            if (g == null) {
                throw new CommandError("NOGROUP No such consumer group '" + str(groupName) + "' for key name '"
                        + str(key) + "'");
            }
        }
        ReplyWriter r = c.reply();
        switch (op) {
            case "create" -> {
                if (c.argc() > 8) {
                    throw subcommandSyntax(c);
                }
                StreamId id;
                byte[] idArg = c.arg(4);
                if (idArg.length == 1 && idArg[0] == '$') {
                    id = s == null ? StreamId.MIN : s.lastId();
                } else {
                    id = StreamArgs.parseStrict(idArg);
                }
                if (s == null) {
                    s = new StreamValue(key);
                    c.db().put(key, s);
                    c.keyModified(c.db(), key);
                }
                if (s.createGroup(groupName, id, entriesRead) != null) {
                    r.ok();
                    c.keyModified(c.db(), key);
                    c.notify(KeyspaceEvents.STREAM, "xgroup-create", c.db(), key);
                } else {
                    c.error("BUSYGROUP Consumer Group name already exists");
                }
            }
            case "setid" -> {
                if (c.argc() != 5 && c.argc() != 7) {
                    throw subcommandSyntax(c);
                }
                byte[] idArg = c.arg(4);
                StreamId id = idArg.length == 1 && idArg[0] == '$' ? s.lastId()
                        : StreamArgs.parseId(idArg, 0, false, null);
                g.lastId = id;
                g.entriesRead = entriesRead;
                r.ok();
                c.keyModified(c.db(), key);
                c.notify(KeyspaceEvents.STREAM, "xgroup-setid", c.db(), key);
            }
            case "destroy" -> {
                if (s.destroyGroup(groupName)) {
                    r.integer(1);
                    c.keyModified(c.db(), key);
                    c.notify(KeyspaceEvents.STREAM, "xgroup-destroy", c.db(), key);
                    c.signalKeyAsReady(c.db(), key);
                } else {
                    r.integer(0);
                }
            }
            case "createconsumer" -> {
                Consumer created = g.createConsumer(c.arg(4), c.now());
                if (created != null) {
                    c.keyModified(c.db(), key);
                    c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", c.db(), key);
                }
                r.integer(created != null ? 1 : 0);
            }
            case "delconsumer" -> {
                long pending = g.deleteConsumer(c.arg(4));
                if (pending >= 0) {
                    c.keyModified(c.db(), key);
                    c.notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", c.db(), key);
                }
                r.integer(Math.max(pending, 0));
            }
            default -> throw subcommandSyntax(c);
        }
    }

    // ---------------------------------------------------------------- XACK / XPENDING

    static void xack(CommandContext c) {
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc() - 3];
        for (int j = 3; j < c.argc(); j++) {
            ids[j - 3] = StreamArgs.parseStrict(c.arg(j));
        }
        c.db().lookupForWrite(key, c.now());
        long acked = 0;
        for (StreamId id : ids) {
            Nack nack = g.pel.remove(id);
            if (nack != null) {
                nack.consumer.pel.remove(id);
                acked++;
            }
        }
        if (acked > 0) {
            c.keyModified(c.db(), key);
            c.dirty(acked - 1);
        }
        c.reply().integer(acked);
    }

    static void xpending(CommandContext c) {
        boolean justInfo = c.argc() == 3;
        if (c.argc() != 3 && (c.argc() < 6 || c.argc() > 9)) {
            throw new CommandError(Errors.SYNTAX);
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (c.argc() >= 6) {
            int startIdx = 3;
            if (c.argIs(3, "idle")) {
                minIdle = c.longArg(4);
                if (c.argc() < 8) {
                    throw new CommandError(Errors.SYNTAX);
                }
                startIdx += 2;
            }
            count = c.longArg(startIdx + 2);
            if (count < 0) {
                count = 0;
            }
            start = StreamArgs.parseBound(c.arg(startIdx), true);
            end = StreamArgs.parseBound(c.arg(startIdx + 1), false);
            if (startIdx + 3 < c.argc()) {
                consumerName = c.arg(startIdx + 3);
            }
        }
        byte[] key = c.arg(1);
        StreamValue s = StreamArgs.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(c.arg(2))
                    + "'");
        }
        ReplyWriter r = c.reply();
        if (justInfo) {
            r.arrayHeader(4);
            r.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(g.pel.firstKey().toBytes());
            r.bulk(g.pel.lastKey().toBytes());
            List<Consumer> with = new ArrayList<>();
            for (Consumer cons : g.consumers.values()) {
                if (!cons.pel.isEmpty()) {
                    with.add(cons);
                }
            }
            r.arrayHeader(with.size());
            for (Consumer cons : with) {
                r.arrayHeader(2);
                r.bulk(cons.name());
                r.bulk((long) cons.pel.size());
            }
            return;
        }
        Map<StreamId, Nack> pel = g.pel;
        if (consumerName != null) {
            Consumer cons = g.consumer(consumerName);
            if (cons == null) {
                r.emptyArray();
                return;
            }
            pel = cons.pel;
        }
        long now = c.now();
        List<Map.Entry<StreamId, Nack>> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, Nack> e : ((java.util.NavigableMap<StreamId, Nack>) pel)
                    .subMap(start, true, end, true).entrySet()) {
                if (count == 0) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) {
                    continue;
                }
                out.add(e);
                count--;
            }
        }
        r.arrayHeader(out.size());
        for (Map.Entry<StreamId, Nack> e : out) {
            Nack n = e.getValue();
            r.arrayHeader(4);
            r.bulk(e.getKey().toBytes());
            r.bulk(n.consumer.name());
            r.integer(Math.max(0, now - n.deliveryTime));
            r.integer(n.deliveryCount);
        }
    }

    // ---------------------------------------------------------------- XCLAIM / XAUTOCLAIM

    private static StreamId tryParseStrict(byte[] a) {
        try {
            return StreamArgs.parseStrict(a);
        } catch (CommandError e) {
            return null;
        }
    }

    static void xclaim(CommandContext c) {
        byte[] key = c.arg(1);
        byte[] groupName = c.arg(2);
        StreamValue s = StreamArgs.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(groupName);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(groupName)
                    + "'");
        }
        long minIdle = c.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < c.argc(); j++) {
            StreamId id = tryParseStrict(c.arg(j));
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = c.now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "force")) {
                force = true;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else if (c.argIs(j, "idle") && more > 0) {
                j++;
                deliveryTime = now - c.longArg(j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "time") && more > 0) {
                j++;
                deliveryTime = c.longArg(j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "retrycount") && more > 0) {
                j++;
                retryCount = c.longArg(j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "lastid") && more > 0) {
                j++;
                lastId = StreamArgs.parseStrict(c.arg(j));
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + c.argString(j) + "'");
            }
        }
        c.db().lookupForWrite(key, now);
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        Consumer consumer = consumerFor(c, g, key, groupName, c.arg(3));
        consumer.seenTime = now;
        boolean dirty = false;
        ReplyWriter r = c.reply();
        List<Object[]> replies = new ArrayList<>();
        for (StreamId id : ids) {
            Nack nack = g.pel.get(id);
            byte[][] fv = s.get(id);
            if (fv == null) {
                if (nack != null) {
                    if (c.propagating()) {
                        c.alsoPropagate(StreamCommands.xclaimEffect(key, groupName, id, nack, g));
                    }
                    propagateLastId = false;
                    dirty = true;
                    g.pel.remove(id);
                    nack.consumer.pel.remove(id);
                }
                continue;
            }
            if (force && nack == null) {
                nack = new Nack(null, now, 1); // a new PEL entry counts one delivery, as Redis's
                g.pel.put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) {
                continue;
            }
            if (nack.consumer != consumer && nack.consumer != null) {
                nack.consumer.pel.remove(id);
            }
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                nack.deliveryCount = retryCount;
            } else if (!justId) {
                nack.deliveryCount++;
            }
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            replies.add(new Object[] {id, fv});
            consumer.activeTime = now;
            if (c.propagating()) {
                c.alsoPropagate(StreamCommands.xclaimEffect(key, groupName, id, nack, g));
            }
            propagateLastId = false;
            dirty = true;
        }
        if (propagateLastId) {
            if (c.propagating()) {
                c.alsoPropagate(StreamCommands.setIdEffect(key, groupName, g));
            }
            dirty = true;
        }
        if (dirty) {
            c.keyModified(c.db(), key);
        }
        c.preventPropagation();
        r.arrayHeader(replies.size());
        for (Object[] e : replies) {
            if (justId) {
                r.bulk(((StreamId) e[0]).toBytes());
            } else {
                StreamCommands.replyEntry(r, (StreamId) e[0], (byte[][]) e[1]);
            }
        }
    }

    /**
     * The named consumer, created when missing; the creation is not propagated by itself (the XCLAIM effects
     * create it where they are replayed), as Redis.
     */
    private static Consumer consumerFor(CommandContext c, ConsumerGroup g, byte[] key, byte[] groupName,
            byte[] name) {
        Consumer consumer = g.consumer(name);
        if (consumer == null) {
            consumer = g.createConsumer(name, c.now());
            c.keyModified(c.db(), key);
            c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", c.db(), key);
        }
        return consumer;
    }

    static void xautoclaim(CommandContext c) {
        long minIdle = c.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        StreamId start = StreamArgs.parseBound(c.arg(5), true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "count") && more > 0) {
                long max = Long.MAX_VALUE / 16;
                long v = c.longArg(j + 1, "ERR COUNT must be > 0");
                if (v < 1 || v > max) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        byte[] groupName = c.arg(2);
        StreamValue s = StreamArgs.read(c, key);
        ConsumerGroup g = s == null ? null : s.group(groupName);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(groupName)
                    + "'");
        }
        long now = c.now();
        c.db().lookupForWrite(key, now);
        Consumer consumer = consumerFor(c, g, key, groupName, c.arg(3));
        consumer.seenTime = now;
        long attempts = count * 10;
        List<Object[]> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        boolean dirty = false;
        StreamId cursor = start;
        boolean eof = false;
        StreamId last = null;
        while (true) {
            if (attempts-- == 0 || count == 0) {
                break;
            }
            Map.Entry<StreamId, Nack> e = last == null ? g.pel.ceilingEntry(cursor) : g.pel.higherEntry(last);
            if (e == null) {
                eof = true;
                break;
            }
            StreamId id = e.getKey();
            Nack nack = e.getValue();
            last = id;
            byte[][] fv = s.get(id);
            if (fv == null) {
                if (c.propagating()) {
                    c.alsoPropagate(StreamCommands.xclaimEffect(key, groupName, id, nack, g));
                }
                dirty = true;
                g.pel.remove(id);
                nack.consumer.pel.remove(id);
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime < minIdle) {
                continue;
            }
            if (nack.consumer != consumer) {
                nack.consumer.pel.remove(id);
            }
            nack.deliveryTime = now;
            if (!justId) {
                nack.deliveryCount++;
            }
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            claimed.add(new Object[] {id, fv});
            count--;
            consumer.activeTime = now;
            if (c.propagating()) {
                c.alsoPropagate(StreamCommands.xclaimEffect(key, groupName, id, nack, g));
            }
            dirty = true;
        }
        StreamId next = StreamId.MIN;
        if (!eof) {
            StreamId n = last == null ? g.pel.ceilingKey(cursor) : g.pel.higherKey(last);
            if (n != null) {
                next = n;
            }
        }
        if (dirty) {
            c.keyModified(c.db(), key);
        }
        c.preventPropagation();
        ReplyWriter r = c.reply();
        r.arrayHeader(3);
        r.bulk(next.toBytes());
        r.arrayHeader(claimed.size());
        for (Object[] e : claimed) {
            if (justId) {
                r.bulk(((StreamId) e[0]).toBytes());
            } else {
                StreamCommands.replyEntry(r, (StreamId) e[0], (byte[][]) e[1]);
            }
        }
        r.arrayHeader(deleted.size());
        for (StreamId id : deleted) {
            r.bulk(id.toBytes());
        }
    }

    // ---------------------------------------------------------------- XINFO

    private static StreamValue infoStream(CommandContext c, byte[] key) {
        StreamValue s = StreamArgs.read(c, key);
        if (s == null) {
            throw new CommandError("ERR no such key");
        }
        return s;
    }

    static void xinfoConsumers(CommandContext c) {
        StreamValue s = infoStream(c, c.arg(2));
        ConsumerGroup g = s.group(c.arg(3));
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + str(c.arg(3)) + "' for key name '"
                    + str(c.arg(2)) + "'");
        }
        ReplyWriter r = c.reply();
        long now = c.now();
        r.arrayHeader(g.consumers.size());
        for (Consumer cons : g.consumers.values()) {
            r.mapHeader(4);
            r.bulk("name");
            r.bulk(cons.name());
            r.bulk("pending");
            r.integer(cons.pel.size());
            r.bulk("idle");
            r.integer(Math.max(0, now - cons.seenTime));
            r.bulk("inactive");
            r.integer(cons.activeTime == -1 ? -1 : Math.max(0, now - cons.activeTime));
        }
    }

    static void xinfoGroups(CommandContext c) {
        StreamValue s = infoStream(c, c.arg(2));
        ReplyWriter r = c.reply();
        r.arrayHeader(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            r.mapHeader(6);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pel.size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.toBytes());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
        }
    }

    private static void entriesRead(ReplyWriter r, ConsumerGroup g) {
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
            r.integer(g.entriesRead);
        } else {
            r.nullBulk();
        }
    }

    private static void lag(ReplyWriter r, StreamValue s, ConsumerGroup g) {
        long lag = s.lag(g);
        if (lag != StreamValue.LAG_UNKNOWN) {
            r.integer(lag);
        } else {
            r.nullBulk();
        }
    }

    /** Redis's rax node count estimate is not reproduced: see {@link #radixTreeNodes}. */
    static void xinfoStream(CommandContext c) {
        boolean full = false;
        long count = 10;
        if (c.argc() > 3) {
            if (!c.argIs(3, "full")) {
                throw subcommandSyntax(c);
            }
            full = true;
            if (c.argc() == 6) {
                if (!c.argIs(4, "count")) {
                    throw subcommandSyntax(c);
                }
                count = c.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            } else if (c.argc() > 4) {
                throw subcommandSyntax(c);
            }
        }
        StreamValue s = infoStream(c, c.arg(2));
        ReplyWriter r = c.reply();
        r.mapHeader(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(radixTreeNodes(s));
        r.bulk("last-generated-id");
        r.bulk(s.lastId().toBytes());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().toBytes());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().toBytes());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            edgeEntry(r, s, false);
            r.bulk("last-entry");
            edgeEntry(r, s, true);
            return;
        }
        r.bulk("entries");
        StreamCommands.replyRange(r, s, StreamId.MIN, StreamId.MAX, count, false);
        r.bulk("groups");
        r.arrayHeader(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            r.mapHeader(7);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.toBytes());
            r.bulk("entries-read");
            entriesRead(r, g);
            r.bulk("lag");
            lag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pel.size());
            r.bulk("pending");
            long n = count == 0 ? g.pel.size() : Math.min(count, g.pel.size());
            r.arrayHeader((int) n);
            long k = 0;
            for (Map.Entry<StreamId, Nack> e : g.pel.entrySet()) {
                if (k++ == n) {
                    break;
                }
                r.arrayHeader(4);
                r.bulk(e.getKey().toBytes());
                r.bulk(e.getValue().consumer.name());
                r.integer(e.getValue().deliveryTime);
                r.integer(e.getValue().deliveryCount);
            }
            r.bulk("consumers");
            r.arrayHeader(g.consumers.size());
            for (Consumer cons : g.consumers.values()) {
                r.mapHeader(5);
                r.bulk("name");
                r.bulk(cons.name());
                r.bulk("seen-time");
                r.integer(cons.seenTime);
                r.bulk("active-time");
                r.integer(cons.activeTime);
                r.bulk("pel-count");
                r.integer(cons.pel.size());
                r.bulk("pending");
                long m = count == 0 ? cons.pel.size() : Math.min(count, cons.pel.size());
                r.arrayHeader((int) m);
                long q = 0;
                for (Map.Entry<StreamId, Nack> e : cons.pel.entrySet()) {
                    if (q++ == m) {
                        break;
                    }
                    r.arrayHeader(3);
                    r.bulk(e.getKey().toBytes());
                    r.integer(e.getValue().deliveryTime);
                    r.integer(e.getValue().deliveryCount);
                }
            }
        }
    }

    private static void edgeEntry(ReplyWriter r, StreamValue s, boolean last) {
        StreamId id = s.edgeId(!last);
        if (id == null) {
            r.nullBulk();
            return;
        }
        StreamCommands.replyEntry(r, id, s.get(id));
    }

    /**
     * XINFO's radix-tree-nodes: the node count of a compressed radix tree over the nodes' 16-byte master IDs,
     * computed for the keys as they are (Redis's rax may hold a few more nodes depending on insertion history).
     */
    static long radixTreeNodes(StreamValue s) {
        List<byte[]> keys = new ArrayList<>();
        for (StreamId id : s.nodes().keySet()) {
            keys.add(id.toKeyBytes());
        }
        if (keys.isEmpty()) {
            return 1;
        }
        return 1 + subtreeNodes(keys, 0, keys.size(), 0);
    }

    /** Nodes below a node whose keys [from, to) share the first {@code depth} bytes. */
    private static long subtreeNodes(List<byte[]> keys, int from, int to, int depth) {
        if (depth == 16) {
            return 0;
        }
        if (to - from == 1) {
            return 1; // a compressed chain to the key's end, then the key node
        }
        // common prefix beyond depth: a compressed node
        int d = depth;
        while (d < 16 && sameByte(keys, from, to, d)) {
            d++;
        }
        long nodes = d > depth ? 1 : 0;
        if (d == 16) {
            return nodes;
        }
        // a branching node at d: one child per distinct byte
        int i = from;
        while (i < to) {
            int j = i;
            while (j < to && keys.get(j)[d] == keys.get(i)[d]) {
                j++;
            }
            nodes += 1 + subtreeNodes(keys, i, j, d + 1);
            i = j;
        }
        return nodes;
    }

    private static boolean sameByte(List<byte[]> keys, int from, int to, int d) {
        byte b = keys.get(from)[d];
        for (int i = from + 1; i < to; i++) {
            if (keys.get(i)[d] != b) {
                return false;
            }
        }
        return true;
    }
}
