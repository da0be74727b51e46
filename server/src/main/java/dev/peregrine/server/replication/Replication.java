package dev.peregrine.server.replication;

import dev.peregrine.persistence.rdb.RdbLoader;
import dev.peregrine.replication.ReplicationIds;
import dev.peregrine.server.command.CommandSpec;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Client;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.persistence.Snapshots;
import dev.peregrine.storage.Database;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

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
public final class Replication {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    private static final long RECONNECT_MIN_MS = 1000;
    private static final long RECONNECT_MAX_MS = 8000;

    private final Engine engine;
    private final ServerConfig config;
    private EventLoopGroup group;
    private int listeningPort;

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

    public Replication(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        readOnly = config.boolValue("replica-read-only");
        serveStale = config.boolValue("replica-serve-stale-data");
        config.onChange("replica-read-only", v -> readOnly = (Boolean) v);
        config.onChange("replica-serve-stale-data", v -> serveStale = (Boolean) v);
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

    // ---------------------------------------------------------------- REPLICAOF

    /**
     * REPLICAOF host port: becomes a replica of that primary (dropping any current link), keeping the dataset and
     * its id and offset so the primary may continue it.
     */
    public void setMaster(String host, int port) {
        boolean wasMaster = masterHost == null;
        dropLink();
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
        shiftReplicationId();
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
                Snapshots.loaderOptions(config, engine.databaseCount()));
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
        }
        if (masterClient == null) {
            masterClient = engine.pseudoClient();
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
        log.info("MASTER <-> REPLICA sync: Loaded {} keys", result.keysLoaded());
        replId = newReplId;
        replId2 = ReplicationIds.NONE;
        secondReplOffset = -1;
        masterReplOffset = offset;
        masterClient = engine.pseudoClient();
        up();
        l.streamFrom(offset);
    }

    private void up() {
        linkUp = true;
        reconnectDelay = RECONNECT_MIN_MS;
        lastAckSent = System.currentTimeMillis();
    }

    /** Applies commands of the primary's stream: pairs of argv and the stream offset just after it. */
    void apply(ReplicaLink l, List<Object> batch) {
        if (l != link || !linkUp) {
            return;
        }
        for (int i = 0; i < batch.size(); i += 2) {
            byte[][] argv = (byte[][]) batch.get(i);
            long end = (Long) batch.get(i + 1);
            if (engine.executeAs(masterClient, argv, 0)) {
                log.warn("== CRITICAL == This replica is sending an error to its master after '{}'",
                         new String(argv[0], java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (!masterClient.inMulti()) {
                masterReplOffset = end;
                l.ackOffset = end;
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
        if (masterHost == null || client == masterClient) {
            return null;
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
                field(sb, "master_sync_perc", String.format(java.util.Locale.ROOT, "%.2f", perc));
                field(sb, "master_sync_last_io_seconds_ago", (now - link.lastTransferIo()) / 1000);
            }
            if (!linkUp) {
                field(sb, "master_link_down_since_seconds", linkDownSince != 0 ? (now - linkDownSince) / 1000 : -1);
            }
            field(sb, "slave_priority", config.longValue("replica-priority"));
            field(sb, "slave_read_only", readOnly ? 1 : 0);
            field(sb, "replica_announced", config.boolValue("replica-announced") ? 1 : 0);
        }
        field(sb, "connected_slaves", 0);
        field(sb, "master_failover_state", "no-failover");
        field(sb, "master_replid", replId);
        field(sb, "master_replid2", replId2);
        field(sb, "master_repl_offset", masterReplOffset);
        field(sb, "second_repl_offset", secondReplOffset);
        field(sb, "repl_backlog_active", 0);
        field(sb, "repl_backlog_size", config.longValue("repl-backlog-size"));
        field(sb, "repl_backlog_first_byte_offset", 0);
        field(sb, "repl_backlog_histlen", 0);
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    /** ROLE's reply. */
    public void role(dev.peregrine.protocol.ReplyWriter r) {
        if (masterHost == null) {
            r.arrayHeader(3);
            r.bulk("master");
            r.integer(masterReplOffset);
            r.arrayHeader(0);
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
