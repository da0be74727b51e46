package dev.peregrine.server.replication;

import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.persistence.snapshot.SnapshotWriter;
import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.replication.ReplicationBacklog;
import dev.peregrine.replication.ReplicationIds;
import dev.peregrine.replication.RespCommands;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandSpec;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.Propagation;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.server.persistence.BackgroundSnapshot;
import dev.peregrine.server.persistence.Snapshots;
import dev.peregrine.storage.Database;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's replication state, as PSYNC2 defines it: the replication id and offset of the dataset's history
 * ({@code master_replid}, {@code master_repl_offset}), the previous id and the offset up to which it is valid
 * ({@code master_replid2}, {@code second_repl_offset}), the role, and on a replica the link to its primary
 * ({@link ReplicaLink}) and the pseudo client that applies the primary's stream.
 *
 * <p>A replica does not expire keys itself (reads hide expired keys; the primary's DELs remove them), refuses writes
 * from its clients with {@code replica-read-only}, and with {@code replica-serve-stale-data no} refuses most
 * commands while its link is down. The link reconnects after a drop, with a growing delay, and asks to continue
 * from its offset ({@code PSYNC <replid> <offset+1>}).
 *
 * <p>Executor-only, except where a method says otherwise.
 */
public final class Replication implements Propagation.Sink {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    private static final long RECONNECT_MIN_MS = 1000;
    private static final long RECONNECT_MAX_MS = 8000;

    private final Engine engine;
    private final ServerConfig config;
    private EventLoopGroup group;
    private int listeningPort;
    private LongSupplier clientIds;

    private String replId = ReplicationIds.random();
    private String replId2 = ReplicationIds.NONE;
    private long secondReplOffset = -1;
    /** Offset of the dataset in {@link #replId}'s history: bytes of stream applied (replica) or produced. */
    private long masterReplOffset;

    // replica side
    private String masterHost;
    private int masterPort;
    private ReplicaLink link;
    /** The link whose stream is applied (handshake done and, after a full sync, the dataset installed). */
    private boolean linkUp;
    private Client masterClient;
    private long linkDownSince;
    private long nextConnectAt;
    private long reconnectDelay = RECONNECT_MIN_MS;
    private long lastAckSent;
    private boolean readOnly;
    private boolean serveStale;

    // primary side
    /** The last repl-backlog-size bytes of the stream; null until a replica first connects. */
    private ReplicationBacklog backlog;
    /** Replicas (and clients that sent REPLCONF) by client id, in arrival order. */
    private final LinkedHashMap<Long, ReplicaPeer> peers = new LinkedHashMap<>();
    /** The database the stream last selected (-1: the next write selects again). */
    private int selectedDb = -1;
    /** Stream bytes of the execution unit being propagated. */
    private final ByteArrayOutputStream unit = new ByteArrayOutputStream();
    /** Bytes of the primary's stream applied inside a transaction, passed on once it completes. */
    private final ByteArrayOutputStream proxied = new ByteArrayOutputStream();
    private BackgroundSnapshot syncSnapshot;
    private long syncFull;
    /** Bytes received from primaries ({@code total_net_repl_input_bytes}); written by link I/O threads. */
    final LongAdder replInputBytes = new LongAdder();
    /** Stream bytes written to replicas ({@code total_net_repl_output_bytes}). */
    private long replOutputBytes;
    private long syncPartialOk;
    private long syncPartialErr;
    private long lastPing;
    private long lastKeepalive;
    /** Clients blocked in WAIT: the offset each waits for and how many replicas. */
    private ArrayList<Object[]> waiting;
    private long noReplicasSince = System.currentTimeMillis();
    private int goodReplicas;
    private int restoredStreamDb;
    private long minReplicasToWrite;
    /** FAILOVER: 0 none, 1 waiting for a replica to catch up, 2 handing over (connected to it as a replica). */
    private int failoverState;
    private long failoverEnd;
    private boolean failoverForce;
    private String failoverHost;
    private int failoverPort;
    private long minReplicasMaxLag;

    public Replication(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        readOnly = config.boolValue("replica-read-only");
        serveStale = config.boolValue("replica-serve-stale-data");
        config.onChange("replica-read-only", v -> readOnly = (Boolean) v);
        config.onChange("replica-serve-stale-data", v -> serveStale = (Boolean) v);
        minReplicasToWrite = config.longValue("min-replicas-to-write");
        minReplicasMaxLag = config.longValue("min-replicas-max-lag");
        config.onChange("min-replicas-to-write", v -> minReplicasToWrite = (Long) v);
        config.onChange("min-replicas-max-lag", v -> minReplicasMaxLag = (Long) v);
    }

    Engine engine() {
        return engine;
    }

    /**
     * Gives the event loops outbound links run on, and the port this server listens on ({@code REPLCONF
     * listening-port}). Control thread at start-up.
     */
    public void network(EventLoopGroup group, int listeningPort) {
        this.group = group;
        this.listeningPort = listeningPort;
    }

    /**
     * Gives the source of client ids (the network's), so the client applying our primary's stream gets one as
     * Redis's master client does. Control thread at start-up; without it that client's id is -1.
     */
    public void clientIds(LongSupplier ids) {
        this.clientIds = ids;
    }

    /**
     * The client applying the primary's stream while the link is up (CLIENT LIST shows it with {@code flags=M},
     * its address the primary's), or null. Executor-only.
     */
    public Client masterLinkClient() {
        return linkUp ? masterClient : null;
    }

    /**
     * A new client for the primary's stream on link {@code ch}, in database {@code db}: a pseudo client whose
     * addresses are the link's, and whose replies go nowhere.
     */
    private Client linkClient(Channel ch, int db) {
        SocketAddress remote = ch == null ? null : ch.remoteAddress();
        SocketAddress local = ch == null ? null : ch.localAddress();
        EmbeddedChannel embedded = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote != null ? remote : super.remoteAddress0();
            }

            @Override
            protected SocketAddress localAddress0() {
                return local != null ? local : super.localAddress0();
            }
        };
        Client c = new Client(clientIds != null ? clientIds.getAsLong() : -1, embedded, null,
                System.currentTimeMillis(), true);
        c.dbIndex(db);
        return c;
    }

    /** Starts replicating from the {@code replicaof} of the configuration, if set. */
    public void startFromConfig() {
        String v = config.stringValue("replicaof");
        if (v != null && !v.isEmpty()) {
            String[] p = v.split(" ");
            setMaster(p[0], Integer.parseInt(p[1]));
        }
    }

    public String replId() {
        return replId;
    }

    public String replId2() {
        return replId2;
    }

    public long masterReplOffset() {
        return masterReplOffset;
    }

    public long secondReplOffset() {
        return secondReplOffset;
    }

    /** Whether this server is a replica ({@code role:slave}). */
    public boolean isReplica() {
        return masterHost != null;
    }

    /** The pseudo client applying the primary's stream, or null. */
    public Client masterClient() {
        return masterClient;
    }

    // ---------------------------------------------------------------- RDB fields

    /**
     * The replication AUX fields an RDB save carries ({@code repl-stream-db}, {@code repl-id},
     * {@code repl-offset}), or null when there is no stream to continue (a primary without replicas yet), as
     * Redis's rdbPopulateSaveInfo.
     */
    public String[] rdbAux() {
        int db;
        if (masterHost != null) {
            if (masterClient == null) {
                return null;
            }
            db = masterClient.dbIndex();
        } else if (backlog != null) {
            db = Math.max(0, selectedDb);
        } else {
            return null;
        }
        return new String[] {"repl-stream-db", Integer.toString(db), "repl-id", replId, "repl-offset",
                Long.toString(masterReplOffset)};
    }

    /**
     * At start-up, after loading the RDB: a server configured as a replica takes the id and offset the file
     * carries, so it can continue its primary's stream with PSYNC instead of a full resync.
     */
    public void restoreFromRdb(Map<String, String> aux) {
        String v = config.stringValue("replicaof");
        String id = aux.get("repl-id");
        String off = aux.get("repl-offset");
        if (id == null || off == null || id.length() != ReplicationIds.LENGTH) {
            return;
        }
        long offset;
        try {
            offset = Long.parseLong(off);
            restoredStreamDb = Integer.parseInt(aux.getOrDefault("repl-stream-db", "0"));
        } catch (NumberFormatException e) {
            return;
        }
        masterReplOffset = offset;
        if (v == null || v.isEmpty()) {
            // a restarted primary: the file's history stays valid up to its offset, as our replid2, so our
            // replicas continue with PSYNC (+CONTINUE <new id>); a new id names what follows (as Redis 7)
            replId2 = id;
            secondReplOffset = offset + 1;
            replId = ReplicationIds.random();
            createBacklog(false);
            log.info("Restoring replication ID {} (now secondary, valid up to offset {}) from the RDB file; "
                     + "new replication ID is {}", id, secondReplOffset, replId);
            return;
        }
        replId = id;
        masterClient = linkClient(null, restoredStreamDb);
        log.info("Restoring replication ID {} and offset {} from the RDB file", id, masterReplOffset);
    }

    // ---------------------------------------------------------------- REPLICAOF

    /**
     * REPLICAOF host port: becomes a replica of that primary (dropping any current link), keeping the dataset and
     * its id and offset so the primary may continue it.
     */
    public void setMaster(String host, int port) {
        boolean wasMaster = masterHost == null;
        dropLink();
        if (wasMaster) {
            // replicas of this server must follow the new history
            disconnectReplicas();
        }
        masterHost = host;
        masterPort = port;
        if (wasMaster) {
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.db(i).expireOnAccess(false);
            }
            // blocked clients and the like keep going; clients of a primary see no other change here
        }
        linkDownSince = 0;
        reconnectDelay = RECONNECT_MIN_MS;
        log.info("Connecting to MASTER {}:{}", host, port);
        connect();
    }

    /** Whether this is a replica of exactly {@code host}:{@code port}. */
    public boolean isReplicaOf(String host, int port) {
        return masterHost != null && masterHost.equalsIgnoreCase(host) && masterPort == port;
    }

    /**
     * REPLICAOF NO ONE: becomes a primary. The dataset's history goes on under a new id; the old one stays valid
     * up to the current offset ({@code replid2}), so replicas of the old primary can continue from here.
     */
    public void unsetMaster() {
        if (masterHost == null) {
            return;
        }
        dropLink();
        masterHost = null;
        masterClient = null;
        proxied.reset();
        shiftReplicationId();
        selectedDb = -1;
        // replicas learn the new id when they reconnect (+CONTINUE <new id>)
        disconnectReplicas();
        for (int i = 0; i < engine.databaseCount(); i++) {
            engine.db(i).expireOnAccess(true);
        }
        log.info("MASTER MODE enabled");
    }

    private void shiftReplicationId() {
        replId2 = replId;
        secondReplOffset = masterReplOffset + 1;
        replId = ReplicationIds.random();
        log.info("Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
                 replId2, secondReplOffset, replId);
    }

    private void dropLink() {
        if (link != null) {
            ReplicaLink l = link;
            link = null;
            l.close();
        }
        if (masterClient != null) {
            engine.discardTransaction(masterClient);
        }
        linkUp = false;
    }

    private void connect() {
        ReplicaLink.Settings s = new ReplicaLink.Settings(masterHost, masterPort, config.stringValue("masteruser"),
                config.stringValue("masterauth"),
                config.intValue("replica-announce-port") != 0 ? config.intValue("replica-announce-port")
                                                              : listeningPort,
                config.stringValue("replica-announce-ip"), replId, masterReplOffset + 1,
                config.stringValue("repl-diskless-load"), datasetEmpty(),
                Path.of(config.stringValue("dir")), config.stringValue("dbfilename"),
                Snapshots.loaderOptions(config, engine.databaseCount()), failoverState == 2);
        ReplicaLink l = new ReplicaLink(this, s);
        link = l;
        lastAckSent = System.currentTimeMillis();
        Bootstrap b = new Bootstrap().group(group)
                .channel(group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, !config.boolValue("repl-disable-tcp-nodelay"))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.longValue("repl-timeout") * 1000))
                .handler(l);
        b.connect(masterHost, masterPort).addListener(f -> {
            if (!f.isSuccess()) {
                l.connectFailed(f.cause());
                engine.execute(() -> linkLost(l));
            }
        });
    }

    private boolean datasetEmpty() {
        for (int i = 0; i < engine.databaseCount(); i++) {
            if (engine.db(i).size() > 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- link events (executor)

    /** The link's connection ended (or never opened): retry later. */
    void linkLost(ReplicaLink l) {
        if (l != link) {
            return;
        }
        link = null;
        if (failoverState == 2) {
            abortFailover("Failover target unreachable");
            return;
        }
        if (linkUp) {
            linkDownSince = System.currentTimeMillis();
        }
        linkUp = false;
        if (masterClient != null) {
            // a transaction cut by the drop is resent by the primary: our offset stopped before its MULTI
            engine.discardTransaction(masterClient);
        }
        nextConnectAt = System.currentTimeMillis() + reconnectDelay;
        reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    }

    /** {@code +CONTINUE [replid]}: the stream continues at our offset, under a new id if the primary changed. */
    void partialResyncAccepted(ReplicaLink l, String newId, Channel ch) {
        if (l != link) {
            return;
        }
        if (newId != null && !newId.equals(replId)) {
            replId2 = replId;
            secondReplOffset = masterReplOffset + 1;
            replId = newId;
            log.info("Master replication ID changed to {}", newId);
            disconnectReplicas();
        }
        masterClient = linkClient(ch, masterClient == null ? 0 : masterClient.dbIndex());
        proxied.reset();
        if (backlog == null) {
            createBacklog(false);
        }
        up();
        l.sendAck(masterReplOffset);
    }

    /** A full resync's RDB was loaded into {@code result}: it replaces the dataset, and the stream starts. */
    void fullSyncLoaded(ReplicaLink l, RdbLoader.Result result, String newReplId, long offset, Channel ch) {
        if (l != link) {
            return;
        }
        engine.snapshots().abortBgsave();
        long now = System.currentTimeMillis();
        Database[] loaded = result.databases();
        for (int i = 0; i < loaded.length && i < engine.databaseCount(); i++) {
            engine.watchedKeys().touchAllInDb(engine.db(i), loaded[i], now);
            Database.swap(engine.db(i), loaded[i]);
            engine.signalWaitedKeys(i);
        }
        // the primary's function libraries replace ours, as a full resync does in Redis
        if (!result.functions().isEmpty() || engine.scriptingStarted()) {
            dev.peregrine.server.script.Scripting.loadFunctions(engine, result.functions(), true);
        }
        log.info("MASTER <-> REPLICA sync: Loaded {} keys", result.keysLoaded());
        if (engine.snapshots().aof() != null) {
            // the append-only file no longer describes the dataset: rewrite it from the new one
            engine.snapshots().aof().abortRewrite();
            String r = engine.snapshots().bgrewriteaofCommand();
            log.info("Rewriting the append-only file after the full resync: {}", r.substring(1));
        }
        replId = newReplId;
        replId2 = ReplicationIds.NONE;
        secondReplOffset = -1;
        masterReplOffset = offset;
        masterClient = linkClient(ch, 0);
        proxied.reset();
        // a new history: sub-replicas must sync again, and the backlog starts over at this offset
        disconnectReplicas();
        createBacklog(false);
        up();
        l.streamFrom(offset);
    }

    private void up() {
        if (failoverState == 2) {
            log.info("Failover to {}:{} completed", failoverHost, failoverPort);
            clearFailover();
        }
        linkUp = true;
        reconnectDelay = RECONNECT_MIN_MS;
        lastAckSent = System.currentTimeMillis();
    }

    /** Applies commands of the primary's stream: pairs of argv and the stream offset just after it. */
    void apply(ReplicaLink l, List<Object> batch) {
        if (l != link || !linkUp) {
            return;
        }
        // the primary's commands see keys whose time passed until the primary deletes them
        for (int i = 0; i < engine.databaseCount(); i++) {
            engine.db(i).expiredVisible(true);
        }
        try {
            applyBatch(l, batch);
        } finally {
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.db(i).expiredVisible(false);
            }
        }
    }

    private void applyBatch(ReplicaLink l, List<Object> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            byte[][] argv = (byte[][]) batch.get(i);
            long end = (Long) batch.get(i + 1);
            if (engine.executeAs(masterClient, argv)) {
                log.warn("== CRITICAL == This replica is sending an error to its master after '{}'",
                         new String(argv[0], StandardCharsets.ISO_8859_1));
            }
            byte[] enc = RespCommands.encode(argv);
            proxied.write(enc, 0, enc.length);
            if (!masterClient.inMulti()) {
                masterReplOffset = end;
                l.ackOffset = end;
                // sub-replicas and the backlog get the primary's stream as applied, whole transactions at once
                byte[] bytes = proxied.toByteArray();
                proxied.reset();
                feed(bytes, false);
            }
        }
    }

    /** REPLCONF GETACK from the primary: acknowledge the offset applied so far. */
    public void ackRequested() {
        if (link != null && linkUp) {
            link.sendAck(masterReplOffset);
            lastAckSent = System.currentTimeMillis();
        }
    }

    // ---------------------------------------------------------------- the command path and the cron

    /**
     * Why this server refuses {@code spec} from {@code client} now, or null: writes on a read-only replica
     * ({@code READONLY}), most commands on a replica with a down link and {@code replica-serve-stale-data no}
     * ({@code MASTERDOWN}). The error text without the leading dash.
     */
    public String commandDenial(Client client, CommandSpec spec, boolean execWithWrites) {
        if (masterHost == null) {
            if (minReplicasToWrite > 0 && goodReplicas < minReplicasToWrite && minReplicasMaxLag > 0
                    && (spec.hasFlag("write") || execWithWrites)) {
                return "NOREPLICAS Not enough good replicas to write.";
            }
            return null;
        }
        if (client == masterClient) {
            return null;
        }
        if (link != null && (link.loadingBlocks() && !spec.hasFlag("loading")
                || link.asyncLoading() && spec.hasFlag("no_async_loading"))) {
            return "LOADING Redis is loading the dataset in memory";
        }
        if (readOnly && (spec.hasFlag("write") || execWithWrites)) {
            return "READONLY You can't write against a read only replica.";
        }
        if (!serveStale && !linkUp && !spec.hasFlag("stale")) {
            return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
        }
        return null;
    }

    /** Once per cron run: reconnects, acknowledges every second, and drops a silent primary (repl-timeout). */
    public void cron(long now) {
        primaryCron(now);
        if (failoverState != 0) {
            failoverCron(now);
        }
        if (masterHost == null) {
            return;
        }
        if (link == null) {
            if (now >= nextConnectAt) {
                log.info("Connecting to MASTER {}:{}", masterHost, masterPort);
                connect();
            }
            return;
        }
        long timeoutMs = config.longValue("repl-timeout") * 1000;
        ReplicaLink.State st = link.state();
        if (st != ReplicaLink.State.LOADING && now - link.lastIo > timeoutMs) {
            log.warn("{}", st == ReplicaLink.State.CONNECTED ? "MASTER timeout: no data nor PING received..."
                    : st == ReplicaLink.State.TRANSFER ? "Timeout receiving bulk data from MASTER... If the problem "
                    + "persists try to set the 'repl-timeout' parameter in redis.conf to a larger value."
                    : "Timeout connecting to the MASTER...");
            ReplicaLink l = link;
            l.close();
            return;
        }
        if (linkUp && now - lastAckSent >= 1000) {
            lastAckSent = now;
            link.sendAck(masterReplOffset);
        }
    }

    // ---------------------------------------------------------------- primary side

    public long syncFull() {
        return syncFull;
    }

    /** {@code total_net_repl_input_bytes}. */
    public long replInputBytes() {
        return replInputBytes.sum();
    }

    /** {@code total_net_repl_output_bytes}. */
    public long replOutputBytes() {
        return replOutputBytes;
    }

    /** {@code mem_replication_backlog}: bytes of the backlog's buffer, 0 without one. */
    public long backlogMemory() {
        return backlog != null ? backlog.capacity() : 0;
    }

    public long syncPartialOk() {
        return syncPartialOk;
    }

    public long syncPartialErr() {
        return syncPartialErr;
    }

    /** Creates the backlog at the current offset; on a primary, the history then gets a new id (as Redis). */
    private void createBacklog(boolean newId) {
        backlog = new ReplicationBacklog(
                (int) Math.min(Integer.MAX_VALUE - 8, config.longValue("repl-backlog-size")), masterReplOffset);
        if (newId) {
            replId = ReplicationIds.random();
            replId2 = ReplicationIds.NONE;
            secondReplOffset = -1;
            log.info("Replication backlog created, my new replication IDs are '{}' and '{}'", replId, replId2);
        }
        engine.propagation().removeSink(this);
        engine.propagation().addSink(this);
    }

    private void disconnectReplicas() {
        for (ReplicaPeer p : new ArrayList<>(peers.values())) {
            if (p.state != ReplicaPeer.State.HANDSHAKE) {
                p.channel.close();
            }
        }
    }

    private ReplicaPeer peer(Client c) {
        return peers.computeIfAbsent(c.id(), id -> new ReplicaPeer(c));
    }

    /** A connection closed: forget it if it was a replica. */
    public void clientClosed(Client c) {
        ReplicaPeer p = peers.remove(c.id());
        if (p != null && p.state != ReplicaPeer.State.HANDSHAKE) {
            log.info("Connection with replica {}:{} lost.", p.ip(), p.listeningPort);
            if (peers.isEmpty()) {
                noReplicasSince = System.currentTimeMillis();
            }
        }
    }

    /** Whether {@code c} is a replica connection (replies to it are suppressed by REPLCONF ACK anyway). */
    public boolean isReplicaClient(Client c) {
        ReplicaPeer p = peers.get(c.id());
        return p != null && p.state != ReplicaPeer.State.HANDSHAKE;
    }

    /** CLIENT KILL TYPE master: closes the link to the primary (it reconnects); false when there is none. */
    public boolean killMasterLink() {
        // also when the link is still syncing (Redis has no master client then; dropping the transfer helps)
        if (link == null) {
            return false;
        }
        link.close();
        return true;
    }

    /** REPLCONF from a (future) replica: one option and its value. */
    public void replconf(Client c, String option, String value) {
        ReplicaPeer p = peer(c);
        switch (option) {
            case "listening-port" -> p.listeningPort = Integer.parseInt(value);
            case "ip-address" -> p.announcedIp = value;
            case "capa" -> {
                if (value.equalsIgnoreCase("eof")) {
                    p.capaEof = true;
                } else if (value.equalsIgnoreCase("psync2")) {
                    p.capaPsync2 = true;
                }
            }
            default -> {
            }
        }
    }

    /** REPLCONF ACK from a replica. */
    public void ack(Client c, long offset) {
        ReplicaPeer p = peers.get(c.id());
        if (p == null || p.state == ReplicaPeer.State.HANDSHAKE) {
            return;
        }
        long now = System.currentTimeMillis();
        if (offset > p.ackOffset) {
            p.ackOffset = offset;
        }
        p.ackTime = now;
        if (p.state == ReplicaPeer.State.SEND_BULK) {
            // the first ACK after a streamed RDB: the replica loaded it; the held stream may follow
            replOutputBytes += p.heldBytes;
            p.releaseHeld(now);
            log.info("Synchronization with replica {}:{} succeeded", p.ip(), p.listeningPort);
        }
        if (waiting != null) {
            checkWaiting(now);
        }
    }

    /**
     * PSYNC replid offset (or SYNC, {@code legacy}): continues the replica from the backlog when its history and
     * offset allow, or starts a full resynchronisation. The reply is written to the caller's reply writer.
     *
     * @return an error text for the caller, or null
     */
    public String psync(Client c, ReplyWriter reply, String askedId, String askedOffset,
                        boolean legacy, boolean failover) {
        if (isReplicaClient(c)) {
            return ""; // already a replica: ignored
        }
        if (failover) {
            // our primary hands its role over to us (FAILOVER): promote, then serve it as a replica
            if (!askedId.equalsIgnoreCase(replId)) {
                return "ERR PSYNC FAILOVER replid must match my replid.";
            }
            log.info("Failover request received for replid {}.", askedId);
            unsetMaster();
        }
        if (masterHost != null && !linkUp) {
            return "NOMASTERLINK Can't SYNC while not connected with my master";
        }
        ReplicaPeer p = peer(c);
        p.legacy = legacy;
        long now = System.currentTimeMillis();
        log.info("Replica {}:{} asks for synchronization", p.ip(), p.listeningPort);
        if (!legacy) {
            long offset;
            try {
                offset = Long.parseLong(askedOffset);
            } catch (NumberFormatException e) {
                offset = -1;
            }
            String why = partialDenied(askedId, offset);
            if (why == null) {
                p.state = ReplicaPeer.State.ONLINE;
                c.replicaConnection(true);
                p.ackTime = now;
                p.ackOffset = offset - 1;
                reply.raw(("+CONTINUE" + (p.capaPsync2 ? " " + replId : "") + "\r\n")
                                  .getBytes(StandardCharsets.ISO_8859_1));
                byte[] missing = backlog.copyFrom(offset - 1);
                reply.raw(missing);
                replOutputBytes += missing.length;
                syncPartialOk++;
                log.info("Partial resynchronization request from {}:{} accepted. Sending {} bytes of backlog "
                         + "starting from offset {}.", p.ip(), p.listeningPort, missing.length, offset);
                return null;
            }
            if (!askedId.equals("?")) {
                syncPartialErr++;
            }
            log.info("Partial resynchronization not accepted: {}", why);
        }
        syncFull++;
        if (backlog == null && masterHost == null) {
            createBacklog(true);
        }
        p.state = ReplicaPeer.State.WAIT_BGSAVE_START;
        p.waitSince = now;
        c.replicaConnection(true);
        p.diskless = !legacy && p.capaEof && config.boolValue("repl-diskless-sync");
        p.ackTime = now;
        // the snapshot starts after this reply went out (its +FULLRESYNC line follows it on the socket)
        engine.execute(this::startSyncIfPossible);
        return null;
    }

    /** Why a PSYNC for {@code id} from {@code offset} cannot continue, or null when it can. */
    private String partialDenied(String id, long offset) {
        if (!id.equalsIgnoreCase(replId) && (!id.equalsIgnoreCase(replId2) || offset > secondReplOffset)) {
            return "Replication ID mismatch (Replica asked for '" + id + "', my replication IDs are '" + replId
                   + "' and '" + replId2 + "')";
        }
        if (backlog == null || offset < 1 || !backlog.covers(offset - 1)) {
            return "lack of backlog (Replica request was: " + offset + ")";
        }
        return null;
    }

    /**
     * Starts one snapshot for the replicas waiting for one, unless another snapshot runs. Diskless, it waits up
     * to {@code repl-diskless-sync-delay} seconds from the first one's request so that others share the stream,
     * or until {@code repl-diskless-sync-max-replicas} are waiting (as Redis); replicas that take a file share it.
     */
    private void startSyncIfPossible() {
        if (syncSnapshot != null || engine.snapshots().snapshotRunning()) {
            return;
        }
        ReplicaPeer first = null;
        for (ReplicaPeer q : peers.values()) {
            if (q.state == ReplicaPeer.State.WAIT_BGSAVE_START && q.channel.isActive()) {
                first = q;
                break;
            }
        }
        if (first == null) {
            return;
        }
        boolean diskless = first.diskless;
        List<ReplicaPeer> group = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (ReplicaPeer q : peers.values()) {
            if (q.state == ReplicaPeer.State.WAIT_BGSAVE_START && q.channel.isActive() && q.diskless == diskless) {
                group.add(q);
                oldest = Math.min(oldest, q.waitSince);
            }
        }
        long now = System.currentTimeMillis();
        if (diskless) {
            long delayMs = config.longValue("repl-diskless-sync-delay") * 1000;
            long max = config.longValue("repl-diskless-sync-max-replicas");
            if (delayMs > 0 && now - oldest < delayMs && (max <= 0 || group.size() < max)) {
                return; // the cron looks again
            }
        }
        selectedDb = -1; // the replicas' stream must start with a SELECT
        for (ReplicaPeer peer : group) {
            peer.state = ReplicaPeer.State.WAIT_BGSAVE_END;
            if (!peer.legacy) {
                peer.write("+FULLRESYNC " + replId + " " + masterReplOffset + "\r\n");
            }
        }
        Runtime rt = Runtime.getRuntime();
        var header = new SnapshotWriter.Header(config.boolValue("rdbcompression"),
                config.boolValue("rdbchecksum"), ServerInfo.REDIS_VERSION, now / 1000,
                rt.totalMemory() - rt.freeMemory(), false, false,
                dev.peregrine.server.script.Scripting.functionCodes(engine), rdbAux());
        engine.snapshots().replicationSnapshot(true);
        if (diskless) {
            String mark = ReplicationIds.random();
            log.info("Starting BGSAVE for SYNC with target: replicas sockets ({} replica{})", group.size(),
                     group.size() == 1 ? "" : "s");
            List<ReplicaPeer.ChannelOutputStream> outs = new ArrayList<>();
            for (ReplicaPeer peer : group) {
                peer.write("$EOF:" + mark + "\r\n");
                outs.add(new ReplicaPeer.ChannelOutputStream(peer.channel));
            }
            ReplicaPeer.FanOut fanOut = new ReplicaPeer.FanOut(outs);
            syncSnapshot = BackgroundSnapshot.startStreaming(engine, fanOut, header, r -> {
                syncSnapshot = null;
                replOutputBytes += fanOut.written.get(); // Redis counts the RDB bytes too
                engine.snapshots().replicationSnapshot(false);
                for (ReplicaPeer peer : group) {
                    if (r.ok() && peer.channel.isActive() && peers.get(peer.client.id()) == peer) {
                        peer.write(mark);
                        peer.state = ReplicaPeer.State.SEND_BULK;
                        log.info("Streamed RDB transfer with replica {}:{} succeeded (socket). Waiting for "
                                 + "REPLCONF ACK from replica to enable streaming", peer.ip(), peer.listeningPort);
                    } else {
                        log.warn("Diskless sync to replica {}:{} failed: {}", peer.ip(), peer.listeningPort,
                                 r.ok() ? "connection with replica lost" : r.error());
                        peer.channel.close();
                    }
                }
                startSyncIfPossible();
            });
            return;
        }
        log.info("Starting BGSAVE for SYNC with target: disk");
        Path dir = Path.of(config.stringValue("dir"));
        long tag = first.client.id();
        Path target = dir.resolve("temp-repl-" + tag + "-" + ProcessHandle.current().pid() + ".rdb");
        Path tmp = dir.resolve("temp-repl-" + tag + "-" + ProcessHandle.current().pid() + ".tmp");
        syncSnapshot = BackgroundSnapshot.startToFile(engine, target, tmp, header,
                r -> {
                    syncSnapshot = null;
                    engine.snapshots().replicationSnapshot(false);
                    sendRdbFile(group, target, r);
                    startSyncIfPossible();
                });
    }

    /** Disk-based sync: the RDB file is sent to each as a sized bulk, then its held stream; they are online. */
    private void sendRdbFile(List<ReplicaPeer> group, Path file, SnapshotWriter.Result r) {
        long size;
        try {
            size = r.ok() ? Files.size(file) : -1;
        } catch (IOException e) {
            size = -1;
        }
        java.util.concurrent.atomic.AtomicInteger sending = new java.util.concurrent.atomic.AtomicInteger(1);
        Runnable release = () -> {
            if (sending.decrementAndGet() == 0) {
                deleteQuietly(file);
            }
        };
        for (ReplicaPeer peer : group) {
            if (size < 0 || !peer.channel.isActive()) {
                log.warn("Sync to replica {}:{} failed: {}", peer.ip(), peer.listeningPort,
                         r.ok() ? "connection with replica lost" : r.error());
                peer.channel.close();
                continue;
            }
            try {
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                peer.write("$" + size + "\r\n");
                sending.incrementAndGet();
                replOutputBytes += size;
                peer.channel.writeAndFlush(new DefaultFileRegion(fc, 0, size)).addListener(f -> release.run());
                replOutputBytes += peer.heldBytes;
                peer.releaseHeld(System.currentTimeMillis());
                log.info("Synchronization with replica {}:{} succeeded", peer.ip(), peer.listeningPort);
            } catch (IOException e) {
                log.warn("Can't send the RDB to replica {}:{}: {}", peer.ip(), peer.listeningPort, e.toString());
                peer.channel.close();
            }
        }
        release.run();
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    @Override
    public int target() {
        return Propagation.TARGET_REPLICAS;
    }

    @Override
    public void propagate(int db, byte[][] argv) {
        if (masterHost != null) {
            return; // a replica passes its primary's stream on as received
        }
        if (db >= 0 && db != selectedDb) {
            byte[] select = RespCommands.encode("SELECT", Integer.toString(db));
            unit.write(select, 0, select.length);
            selectedDb = db;
        }
        byte[] enc = RespCommands.encode(argv);
        unit.write(enc, 0, enc.length);
    }

    @Override
    public void unitEnd() {
        if (unit.size() == 0) {
            return;
        }
        byte[] bytes = unit.toByteArray();
        unit.reset();
        feed(bytes, true);
        Client writer = engine.propagation().unitClient();
        if (writer != null) {
            writer.replOffset(masterReplOffset);
        }
    }

    /** Appends stream bytes to the backlog and sends them to the replicas (held for those still syncing). */
    private void feed(byte[] bytes, boolean advance) {
        if (backlog == null) {
            if (advance) {
                masterReplOffset += bytes.length;
            }
            return;
        }
        backlog.append(bytes, 0, bytes.length);
        if (advance) {
            masterReplOffset += bytes.length;
        }
        if (peers.isEmpty()) {
            return;
        }
        long[] limits = (long[]) config.value("client-output-buffer-limit");
        long hard = limits[3];
        for (ReplicaPeer p : peers.values()) {
            switch (p.state) {
                case ONLINE -> {
                    p.write(bytes);
                    replOutputBytes += bytes.length;
                }
                case WAIT_BGSAVE_END, SEND_BULK -> p.hold(bytes);
                default -> {
                    continue;
                }
            }
            if (hard > 0 && p.outputBytes() > hard) {
                overLimit(p);
            }
        }
    }

    private void overLimit(ReplicaPeer p) {
        log.warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                 p.client.id(), p.client.address());
        p.channel.close();
    }

    /** The primary's periodic work: PING to replicas, time-outs, output limits, good replicas, backlog TTL. */
    private void primaryCron(long now) {
        if (syncSnapshot == null) {
            startSyncIfPossible();
        }
        boolean anyReplica = false;
        long[] limits = (long[]) config.value("client-output-buffer-limit");
        long soft = limits[4];
        long softSeconds = limits[5];
        long timeoutMs = config.longValue("repl-timeout") * 1000;
        int good = 0;
        long maxLag = config.longValue("min-replicas-max-lag");
        boolean keepalive = now - lastKeepalive >= 1000;
        if (keepalive) {
            lastKeepalive = now;
        }
        for (ReplicaPeer p : new ArrayList<>(peers.values())) {
            if (p.state == ReplicaPeer.State.HANDSHAKE) {
                continue;
            }
            anyReplica = true;
            if (p.state == ReplicaPeer.State.ONLINE) {
                if (!p.legacy && now - p.ackTime > timeoutMs) {
                    log.warn("Disconnecting timedout replica (streaming sync): {}:{}", p.ip(), p.listeningPort);
                    p.channel.close();
                    continue;
                }
                if ((now - p.ackTime) / 1000 <= maxLag) {
                    good++;
                }
            } else if (p.state == ReplicaPeer.State.WAIT_BGSAVE_START
                    || p.state == ReplicaPeer.State.WAIT_BGSAVE_END && !p.diskless) {
                if (keepalive) {
                    p.write("\n"); // keeps the replica waiting for its RDB from timing out
                }
            }
            if (soft > 0) {
                if (p.outputBytes() > soft) {
                    if (p.softLimitSince == 0 || p.state != ReplicaPeer.State.ONLINE) {
                        p.softLimitSince = p.softLimitSince == 0 ? now : p.softLimitSince;
                    }
                    if (now - p.softLimitSince > softSeconds * 1000) {
                        overLimit(p);
                    }
                } else {
                    p.softLimitSince = 0;
                }
            }
        }
        goodReplicas = good;
        if (masterHost == null && anyReplica
                && now - lastPing >= config.longValue("repl-ping-replica-period") * 1000) {
            lastPing = now;
            propagate(-1, new byte[][] {{'P', 'I', 'N', 'G'}});
            unitEnd();
        }
        if (anyReplica) {
            noReplicasSince = now;
        } else if (backlog != null && masterHost == null && config.longValue("repl-backlog-ttl") > 0
                && now - noReplicasSince > config.longValue("repl-backlog-ttl") * 1000) {
            log.info("Replication backlog freed after {} seconds without connected replicas.",
                     config.longValue("repl-backlog-ttl"));
            backlog = null;
            engine.propagation().removeSink(this);
            // a new id: replicas that were away cannot continue a history with a gap in the backlog
            replId = ReplicationIds.random();
            replId2 = ReplicationIds.NONE;
            secondReplOffset = -1;
        }
        if (waiting != null) {
            checkWaiting(now);
        }
    }

    /** Replicas online whose acknowledged offset reached {@code offset}. */
    private int acked(long offset) {
        int n = 0;
        for (ReplicaPeer p : peers.values()) {
            if (p.state == ReplicaPeer.State.ONLINE && p.ackOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /**
     * WAIT numreplicas timeout: answers at once when enough replicas acknowledged what was written so far (or
     * inside MULTI), else blocks the client and asks the replicas for an acknowledgement (REPLCONF GETACK).
     *
     * @param timeoutMs 0 = no time-out
     */
    public void waitCommand(CommandContext c, long numReplicas, long timeoutMs) {
        long target = c.client().replOffset(); // the caller's last write, as Redis's woff
        int acked = acked(target);
        if (acked >= numReplicas || c.client().inMulti()) {
            c.reply().integer(acked);
            return;
        }
        if (waiting == null) {
            waiting = new ArrayList<>();
        }
        waiting.add(new Object[] {c.client(), target, numReplicas});
        engine.blockForReply(c.client(), timeoutMs > 0 ? System.currentTimeMillis() + timeoutMs : 0,
                             r -> r.integer(acked(target)));
        if (backlog != null) {
            propagate(-1, new byte[][] {"REPLCONF".getBytes(StandardCharsets.US_ASCII),
                    "GETACK".getBytes(StandardCharsets.US_ASCII), {'*'}});
            unitEnd();
        }
    }

    /** Answers the WAITing clients whose replicas caught up; drops those no longer blocked. */
    private void checkWaiting(long now) {
        for (Iterator<Object[]> it = waiting.iterator(); it.hasNext(); ) {
            Object[] w = it.next();
            Client c = (Client) w[0];
            long target = (Long) w[1];
            long num = (Long) w[2];
            if (!c.blockedOnKeys() || c.closing()) {
                it.remove();
                continue;
            }
            int n = acked(target);
            if (n >= num) {
                it.remove();
                engine.unblockWithReply(c, r -> r.integer(n));
            }
        }
        if (waiting.isEmpty()) {
            waiting = null;
        }
    }

    // ---------------------------------------------------------------- FAILOVER

    /**
     * FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | ABORT: pauses writes, waits for a replica (the named one) to
     * acknowledge the whole stream, then becomes its replica with {@code PSYNC <replid> <offset> FAILOVER}, which
     * makes it the primary. Answers through {@code reply}; errors are thrown.
     */
    public void failoverCommand(CommandContext c) {
        if (c.argc() == 2 && c.argIs(1, "abort")) {
            if (failoverState == 0) {
                throw new CommandError("ERR No failover in progress.");
            }
            abortFailover("Failover manually aborted");
            c.reply().ok();
            return;
        }
        long timeout = 0;
        boolean force = false;
        String host = null;
        long port = 0;
        for (int j = 1; j < c.argc(); j++) {
            if (c.argIs(j, "timeout") && j + 1 < c.argc() && timeout == 0) {
                timeout = c.longArg(j + 1);
                if (timeout <= 0) {
                    throw new CommandError("ERR FAILOVER timeout must be greater than 0");
                }
                j++;
            } else if (c.argIs(j, "to") && j + 2 < c.argc() && host == null) {
                port = c.longArg(j + 2);
                host = c.argString(j + 1);
                j += 2;
            } else if (c.argIs(j, "force") && !force) {
                force = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (failoverState != 0) {
            throw new CommandError("ERR FAILOVER already in progress.");
        }
        if (masterHost != null) {
            throw new CommandError("ERR FAILOVER is not valid when server is a replica.");
        }
        boolean any = false;
        for (ReplicaPeer p : peers.values()) {
            any |= p.state != ReplicaPeer.State.HANDSHAKE;
        }
        if (!any) {
            throw new CommandError("ERR FAILOVER requires connected replicas.");
        }
        if (force && (timeout == 0 || host == null)) {
            throw new CommandError(
                    "ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
        }
        if (host != null) {
            ReplicaPeer target = findPeer(host, (int) port);
            if (target == null) {
                throw new CommandError(
                        "ERR FAILOVER target HOST and PORT is not a replica.");
            }
            if (target.state != ReplicaPeer.State.ONLINE) {
                throw new CommandError("ERR FAILOVER target replica is not online.");
            }
            log.info("FAILOVER requested to {}:{}.", host, port);
        } else {
            log.info("FAILOVER requested to any replica.");
        }
        failoverHost = host;
        failoverPort = (int) port;
        failoverEnd = timeout > 0 ? System.currentTimeMillis() + timeout : 0;
        failoverForce = force;
        failoverState = 1;
        engine.pause(Engine.PAUSE_WRITE, Long.MAX_VALUE);
        c.reply().ok();
    }

    /** Whether a FAILOVER is under way. */
    public boolean failoverInProgress() {
        return failoverState != 0;
    }

    private ReplicaPeer findPeer(String host, int port) {
        for (ReplicaPeer p : peers.values()) {
            if (p.state != ReplicaPeer.State.HANDSHAKE && p.ip().equalsIgnoreCase(host) && p.listeningPort == port) {
                return p;
            }
        }
        return null;
    }

    /** The failover's progress, from the cron: pick the caught-up replica, or give up at the time-out. */
    private void failoverCron(long now) {
        if (failoverState != 1) {
            if (failoverState == 2 && failoverEnd != 0 && now >= failoverEnd) {
                abortFailover("Failover target reached its timeout");
            }
            return;
        }
        if (failoverEnd != 0 && now >= failoverEnd) {
            if (failoverForce) {
                log.info("FAILOVER to {}:{} forced after the timeout.", failoverHost, failoverPort);
                beginHandover();
            } else {
                abortFailover("Replica never caught up before timeout");
            }
            return;
        }
        for (ReplicaPeer p : peers.values()) {
            if (p.state == ReplicaPeer.State.ONLINE && p.ackOffset == masterReplOffset
                    && (failoverHost == null || p.ip().equalsIgnoreCase(failoverHost) && p.listeningPort == failoverPort)) {
                failoverHost = p.ip();
                failoverPort = p.listeningPort;
                log.info("Failover target {}:{} is synced, failing over.", failoverHost, failoverPort);
                beginHandover();
                return;
            }
        }
    }

    private void beginHandover() {
        failoverState = 2;
        // the old primary becomes a replica of the target; its PSYNC carries FAILOVER
        setMaster(failoverHost, failoverPort);
    }

    private void abortFailover(String why) {
        log.info("FAILOVER aborted: {}", why);
        boolean handingOver = failoverState == 2;
        clearFailover();
        if (handingOver) {
            unsetMaster();
        }
    }

    private void clearFailover() {
        failoverState = 0;
        failoverHost = null;
        failoverPort = 0;
        failoverEnd = 0;
        failoverForce = false;
        engine.unpause();
    }

    /** INFO {@code loading}: a replica loads its primary's RDB and clients get {@code -LOADING}. */
    public boolean loading() {
        return link != null && link.loadingBlocks();
    }

    /** INFO {@code async_loading}: a replica loads its primary's RDB while serving the old data (swapdb). */
    public boolean asyncLoading() {
        return link != null && link.asyncLoading();
    }

    /** The {@code loading_*} fields of INFO persistence while a replica loads an RDB (Redis's order). */
    public void loadingInfo(StringBuilder sb) {
        ReplicaLink l = link;
        if (l == null || !l.loaderRunning()) {
            return;
        }
        long now = System.currentTimeMillis();
        long total = l.loadTotal();
        long loaded = l.loadedBytes();
        double perc = total > 0 ? (double) loaded / total * 100 : 0;
        long elapsed = Math.max(1, (now - l.loadStart()) / 1000);
        long eta = loaded > 0 && total > 0 ? (total - loaded) / Math.max(1, loaded / elapsed) : 1;
        field(sb, "loading_start_time", l.loadStart() / 1000);
        field(sb, "loading_total_bytes", total);
        field(sb, "loading_rdb_used_mem", 0);
        field(sb, "loading_loaded_bytes", loaded);
        field(sb, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f", perc));
        field(sb, "loading_eta_seconds", eta);
    }

    // ---------------------------------------------------------------- INFO and ROLE

    /** The {@code # Replication} section of INFO, in Redis's order. */
    public void info(StringBuilder sb) {
        long now = System.currentTimeMillis();
        sb.append("# Replication\r\n");
        if (masterHost == null) {
            field(sb, "role", "master");
        } else {
            field(sb, "role", "slave");
            field(sb, "master_host", masterHost);
            field(sb, "master_port", masterPort);
            field(sb, "master_link_status", linkUp ? "up" : "down");
            field(sb, "master_last_io_seconds_ago", linkUp && link != null ? (now - link.lastIo) / 1000 : -1);
            boolean syncing = link != null && link.transferring();
            field(sb, "master_sync_in_progress", syncing ? 1 : 0);
            long read = link != null && linkUp ? link.readOffset : masterReplOffset;
            field(sb, "slave_read_repl_offset", read);
            field(sb, "slave_repl_offset", masterReplOffset);
            if (syncing) {
                long size = link.transferSize();
                long got = link.transferRead();
                double perc = size != 0 ? (double) got / size * 100 : 0;
                field(sb, "master_sync_total_bytes", size);
                field(sb, "master_sync_read_bytes", got);
                field(sb, "master_sync_left_bytes", size - got);
                field(sb, "master_sync_perc", String.format(Locale.ROOT, "%.2f", perc));
                field(sb, "master_sync_last_io_seconds_ago", (now - link.lastTransferIo()) / 1000);
            }
            if (!linkUp) {
                field(sb, "master_link_down_since_seconds", linkDownSince != 0 ? (now - linkDownSince) / 1000 : -1);
            }
            field(sb, "slave_priority", config.longValue("replica-priority"));
            field(sb, "slave_read_only", readOnly ? 1 : 0);
            field(sb, "replica_announced", config.boolValue("replica-announced") ? 1 : 0);
        }
        int n = 0;
        StringBuilder lines = new StringBuilder();
        for (ReplicaPeer p : peers.values()) {
            if (p.state == ReplicaPeer.State.HANDSHAKE) {
                continue;
            }
            lines.append("slave").append(n++).append(":ip=").append(p.ip()).append(",port=").append(p.listeningPort)
                 .append(",state=").append(p.state.infoName).append(",offset=").append(p.ackOffset)
                 .append(",lag=").append((now - p.ackTime) / 1000).append("\r\n");
        }
        if (masterHost == null && config.longValue("min-replicas-to-write") > 0
                && config.longValue("min-replicas-max-lag") > 0) {
            field(sb, "min_slaves_good_slaves", goodReplicas);
        }
        field(sb, "connected_slaves", n);
        sb.append(lines);
        field(sb, "master_failover_state", failoverState == 0 ? "no-failover"
                : failoverState == 1 ? "waiting-for-sync" : "failover-in-progress");
        field(sb, "master_replid", replId);
        field(sb, "master_replid2", replId2);
        field(sb, "master_repl_offset", masterReplOffset);
        field(sb, "second_repl_offset", secondReplOffset);
        field(sb, "repl_backlog_active", backlog != null ? 1 : 0);
        field(sb, "repl_backlog_size", config.longValue("repl-backlog-size"));
        field(sb, "repl_backlog_first_byte_offset", backlog != null ? backlog.startOffset() + 1 : 0);
        field(sb, "repl_backlog_histlen", backlog != null ? backlog.length() : 0);
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    /** ROLE's reply. */
    public void role(ReplyWriter r) {
        if (masterHost == null) {
            r.arrayHeader(3);
            r.bulk("master");
            r.integer(masterReplOffset);
            java.util.List<ReplicaPeer> online = new ArrayList<>();
            for (ReplicaPeer p : peers.values()) {
                if (p.state == ReplicaPeer.State.ONLINE) {
                    online.add(p);
                }
            }
            r.arrayHeader(online.size());
            for (ReplicaPeer p : online) {
                r.arrayHeader(3);
                r.bulk(p.ip());
                r.bulk(Integer.toString(p.listeningPort));
                r.bulk(Long.toString(p.ackOffset));
            }
            return;
        }
        r.arrayHeader(5);
        r.bulk("slave");
        r.bulk(masterHost);
        r.integer(masterPort);
        r.bulk(link == null ? "connect" : linkUp ? "connected" : link.state().roleName);
        r.integer(linkUp ? masterReplOffset : -1);
    }
}
