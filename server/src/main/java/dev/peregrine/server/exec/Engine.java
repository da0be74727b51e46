package dev.peregrine.server.exec;

import dev.peregrine.server.command.Command;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandFamilies;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.persistence.Snapshots;
import dev.peregrine.storage.Database;
import io.netty.buffer.ByteBuf;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The executor's world: the databases, the command table, the connected clients, statistics, and the command
 * path every request takes ({@link #process}): look-up, arity and authentication checks, the call, statistics.
 * Also the periodic task ({@link #cron}): active expiry, incremental rehashing, client time-outs, ops sampling.
 *
 * <p>Executor-only: whichever thread runs the executor role (a dedicated thread, or the single I/O thread in
 * inline mode) is the only one that calls into it.
 */
public final class Engine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Unix time in ms the server started. */
    private final long startTime = System.currentTimeMillis();
    private final ServerConfig config;
    private final Database[] databases;
    private final CommandTable commands = new CommandTable();
    private final Long2ObjectHashMap<Client> clients = new Long2ObjectHashMap<>();
    private final Stats stats = new Stats();
    private final CommandContext ctx;
    private final ServerInfo serverInfo;
    /** RDB saves and loads, and their bookkeeping (LASTSAVE). */
    private final Snapshots snapshots;
    /** Replication role, ids and offsets, the link to a primary and the replicas served. */
    private final dev.peregrine.server.replication.Replication replication;
    private Runnable shutdownAction = () -> { };
    private boolean activeExpireEnabled = true;
    private int activeExpireDb;
    private String requirePass;
    private int hz;
    private long lastCronRun;
    /** CLIENT PAUSE state: {@link #PAUSE_NONE}, {@link #PAUSE_WRITE} or {@link #PAUSE_ALL}, until {@code pauseEnd}. */
    private int pauseType = PAUSE_NONE;
    private long pauseEnd;
    /** Clients whose requests wait for the pause to end, in the order they were postponed. */
    private final java.util.ArrayDeque<Client> postponed = new java.util.ArrayDeque<>();
    private boolean resuming;
    private BatchRunner resumeRunner;
    /** Clients blocked on keys, the keys signalled as ready, and blocking time-outs. */
    private final BlockingKeys blocking = new BlockingKeys();
    private final Propagation propagation = new Propagation();
    /** Clients unblocked in this turn whose later requests still wait to run (Redis's unblocked_clients). */
    private final java.util.ArrayDeque<Client> unblocked = new java.util.ArrayDeque<>();
    private boolean servingReady;
    private boolean drainingUnblocked;
    /** Asks the dispatcher to call {@link #blockedTimeoutWakeup} at a Unix ms time; set by inline mode. */
    private java.util.function.LongConsumer timeoutWakeupScheduler = at -> { };
    /** The earliest time-out a wake-up is scheduled for, 0 when none. */
    private long scheduledWakeup;
    /** WATCHed keys and their clients. */
    private final WatchedKeys watchedKeys = new WatchedKeys();
    /** Pub/Sub channels, patterns and subscribers. */
    private final PubSub pubsub;
    /** Keyspace notifications (notify-keyspace-events). */
    private final KeyspaceEvents keyspaceEvents;
    /** Client-side caching: tracked keys, BCAST prefixes, invalidation messages. */
    private final Tracking tracking = new Tracking(this);
    /** Parsed key specs per command, for remembering the keys tracking clients read. */
    private final java.util.HashMap<Command, java.util.List<dev.peregrine.server.command.KeySpecs.KeySpec>>
            trackingSpecs = new java.util.HashMap<>();
    /** Lua scripts and functions; made on first use (the Lua runtime loads a native library). */
    private dev.peregrine.server.script.Scripting scripting;
    /** Depth of {@link #process} calls: 1 for a client's command, 2 for a command EXEC runs. */
    private int depth;
    /** The client whose top-level command runs now, or null. */
    private Client executing;
    /** Error replies counted when the last command call ended (failed_calls of EXEC ignore its inner errors). */
    private long errorsMark;
    /** Push messages to {@link #executing} itself, sent after its command's reply (Redis 7.2). */
    private ByteBuf selfPush;
    private final dev.peregrine.protocol.ReplyWriter selfPushWriter = new dev.peregrine.protocol.ReplyWriter();
    /** Clients with out-of-band output ({@link Client#pushOut}) to write at the end of the batch. */
    private final java.util.ArrayList<Client> pushPending = new java.util.ArrayList<>();
    /** Out-of-band output of one client is written once it reaches this many bytes, even mid-batch. */
    private static final int PUSH_FLUSH_BYTES = 64 * 1024;

    /** No CLIENT PAUSE in effect. */
    public static final int PAUSE_NONE = 0;
    /** CLIENT PAUSE WRITE: commands that write or may replicate wait. */
    public static final int PAUSE_WRITE = 1;
    /** CLIENT PAUSE ALL: every command waits. */
    public static final int PAUSE_ALL = 2;

    public Engine(ServerConfig config, ServerInfo serverInfo) {
        this.config = config;
        this.serverInfo = serverInfo;
        int n = config.intValue("databases");
        databases = new Database[n];
        pubsub = new PubSub(this);
        keyspaceEvents = new KeyspaceEvents(pubsub);
        for (int i = 0; i < n; i++) {
            databases[i] = new Database(i);
            databases[i].expiryListener((db, key, entry) -> {
                stats.expiredKeys++;
                propagateExpired(db.id(), key);
                watchedKeys.touch(db, key);
                keyspaceEvents.notify(KeyspaceEvents.EXPIRED, "expired", db, key);
                if (tracking.active()) {
                    tracking.invalidateKey(key, null, true);
                }
            });
            // a deleted or replaced stream wakes its XREADGROUP waiters (Redis's signalDeletedKeyAsReady)
            databases[i].removalListener((db, key, old) -> {
                if (blocking.blockedClients() == 0) {
                    return;
                }
                if (key == null) {
                    signalWaitedKeys(db.id());
                } else if (old instanceof dev.peregrine.storage.stream.StreamValue) {
                    blocking.signal(db.id(), key);
                }
            });
        }
        configureKeyspaceEvents(config.stringValue("notify-keyspace-events"));
        config.onChange("notify-keyspace-events", v -> configureKeyspaceEvents((String) v));
        CommandFamilies.registerAll(commands);
        for (String[] r : config.renamedCommands()) {
            String error = commands.rename(r[0], r[1]);
            if (error != null) {
                throw new IllegalStateException(error + ": rename-command " + r[0] + " " + r[1]);
            }
        }
        ctx = new CommandContext(this);
        snapshots = new Snapshots(this);
        replication = new dev.peregrine.server.replication.Replication(this);
        requirePass = emptyToNull(config.stringValue("requirepass"));
        config.onChange("requirepass", v -> requirePass = emptyToNull((String) v));
        hz = config.intValue("hz");
        config.onChange("hz", v -> hz = (int) (long) (Long) v);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    public ServerConfig config() {
        return config;
    }

    public ServerInfo serverInfo() {
        return serverInfo;
    }

    public Database db(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    public CommandTable commands() {
        return commands;
    }

    public Stats stats() {
        return stats;
    }

    public long startTime() {
        return startTime;
    }

    /** RDB saves and loads (SAVE, DEBUG RELOAD) and the last-save bookkeeping. */
    public Snapshots snapshots() {
        return snapshots;
    }

    /** Replication: role, ids, offsets, the primary link and the replicas. */
    public dev.peregrine.server.replication.Replication replication() {
        return replication;
    }

    /** WATCHed keys (MULTI/EXEC optimistic locking). */
    public WatchedKeys watchedKeys() {
        return watchedKeys;
    }

    /** The Pub/Sub registry. */
    public PubSub pubsub() {
        return pubsub;
    }

    /** Client-side caching (CLIENT TRACKING). */
    public Tracking tracking() {
        return tracking;
    }

    /**
     * A key changed: clients that may cache it get an invalidation (Redis's trackingInvalidateKey from
     * signalModifiedKey). Cheap when no client tracks anything.
     *
     * @param modifier the client whose command changed it, or null
     */
    public void invalidateTrackedKey(byte[] key, Client modifier) {
        if (tracking.active()) {
            tracking.invalidateKey(key, modifier, true);
        }
    }

    /** After a read-only command of a tracking client (default mode): remembers the keys it named. */
    private void trackingRememberKeys(Client client, Command cmd, byte[][] argv) {
        java.util.List<dev.peregrine.server.command.KeySpecs.KeySpec> specs = trackingSpecs.computeIfAbsent(cmd,
                k -> dev.peregrine.server.command.KeySpecs.of(k.spec()));
        if (specs.isEmpty() || cmd.spec().hasFlag("pubsub")) {
            return;
        }
        java.util.List<dev.peregrine.server.command.KeySpecs.KeyPosition> keys = dev.peregrine.server.command.KeySpecs
                .find(cmd.spec().fullName(), specs, argv, cmd.spec().arity());
        if (keys == null || keys.isEmpty()) {
            return;
        }
        int[] positions = new int[keys.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = keys.get(i).pos();
        }
        tracking.rememberKeys(client, argv, positions);
    }

    /** Keyspace notifications. */
    public KeyspaceEvents keyspaceEvents() {
        return keyspaceEvents;
    }

    /**
     * Applies a {@code notify-keyspace-events} value; the databases report created keys only while class
     * {@code n} publishes, so key creation costs nothing otherwise.
     */
    private void configureKeyspaceEvents(String classes) {
        keyspaceEvents.configure(classes);
        java.util.function.BiConsumer<Database, byte[]> added = keyspaceEvents.enabled(KeyspaceEvents.NEW)
                ? (db, key) -> keyspaceEvents.notify(KeyspaceEvents.NEW, "new", db, key) : null;
        for (Database db : databases) {
            db.keyAddedListener(added);
        }
    }

    /** Lua scripting: the EVAL script cache, function libraries and the running script. Executor-only. */
    public dev.peregrine.server.script.Scripting scripting() {
        if (scripting == null) {
            scripting = new dev.peregrine.server.script.Scripting(this);
        }
        return scripting;
    }

    /** Whether a Lua script or function is running now (its commands, or other clients' while it is busy). */
    public boolean scriptRunning() {
        return scripting != null && scripting.scriptRunning();
    }

    private Runnable busyPoller = () -> { };
    private long lastBusyPoll;

    /**
     * Sets how the dispatcher serves other connections while a script runs past {@code busy-reply-threshold}
     * (Redis's processEventsWhileBlocked): their requests run through {@link #process}, which answers -BUSY to
     * all but the commands flagged allow_busy. Called when the dispatcher is made.
     */
    void busyPoller(Runnable poller) {
        this.busyPoller = poller;
    }

    /** Called from a busy script's hook: serves other connections, at most every 10 ms. Executor-only. */
    public void pollWhileBusy() {
        long now = System.currentTimeMillis();
        if (now - lastBusyPoll >= 10) {
            lastBusyPoll = now;
            busyPoller.run();
        }
    }

    /** The client whose top-level command runs now (the caller of a running script), or null. */
    public Client executingClient() {
        return executing;
    }

    /** Whether scripting was ever used (so function libraries may exist). */
    public boolean scriptingStarted() {
        return scripting != null;
    }

    /** Connected clients by id. */
    public Long2ObjectHashMap<Client> clients() {
        return clients;
    }

    /** The {@code requirepass} password, or null when none is set. */
    public String requirePass() {
        return requirePass;
    }

    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    /** DEBUG SET-ACTIVE-EXPIRE. */
    public void activeExpireEnabled(boolean on) {
        this.activeExpireEnabled = on;
    }

    /** What SHUTDOWN does once it decided to stop: stop the server, and in {@code main} exit the process. */
    public void shutdownAction(Runnable action) {
        this.shutdownAction = action;
    }

    /** Asks the server to stop (SHUTDOWN, SIGTERM): runs the shutdown action. */
    public void requestShutdown() {
        if (scripting != null) {
            scripting.abort(); // SHUTDOWN NOSAVE from another client while a script is busy
        }
        shutdownAction.run();
    }

    /**
     * Redis's 24-bit LRU clock: seconds since the epoch, low 24 bits (LRU_CLOCK_RESOLUTION 1000 ms).
     */
    public static int lruClock(long nowMs) {
        return (int) ((nowMs / 1000) & ((1 << 24) - 1));
    }

    // ---------------------------------------------------------------- clients

    void onConnect(Client c) {
        clients.put(c.id(), c);
        stats.connectionsReceived++;
    }

    void onDisconnect(Client c) {
        c.closing = true;
        clients.remove(c.id());
        replication.clientClosed(c);
        if (c.blocked != null) {
            blocking.unblock(c);
        }
        unblocked.remove(c);
        if (c.deferred != null) {
            c.deferred = null;
            postponed.remove(c);
        }
        discardTransaction(c);
        pubsub.unsubscribeAll(c);
        tracking.disable(c);
        if (c.pushOut != null) {
            c.pushOut.release();
            c.pushOut = null;
            c.push.wrap(null, c.protocol);
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Ends {@code c}'s transaction, if any, and drops its watches and dirty mark (Redis's discardTransaction:
     * EXEC's end, DISCARD, RESET, disconnect).
     */
    public void discardTransaction(Client c) {
        c.multi = null;
        c.dirtyCas = false;
        watchedKeys.unwatchAll(c);
    }

    /** A key changed: clients watching it will fail their EXEC. Cheap when nobody watches. */
    public void touchWatchedKey(Database db, byte[] key) {
        if (!watchedKeys.isEmpty()) {
            watchedKeys.touch(db, key);
        }
    }

    // ---------------------------------------------------------------- output to other clients

    /**
     * A writer for an out-of-band message (a Pub/Sub push) to {@code target}; call {@link #endPush} after
     * writing one message. To another client the message is buffered and written at the end of the current batch
     * (or sooner once large); to the client whose command runs now, it follows that command's reply (after the
     * whole EXEC inside a transaction), as Redis 7.2 does.
     */
    public dev.peregrine.protocol.ReplyWriter beginPush(Client target) {
        if (target == executing) {
            if (selfPush == null) {
                selfPush = io.netty.buffer.Unpooled.buffer(256);
            }
            selfPushWriter.wrap(selfPush, target.protocol);
            return selfPushWriter;
        }
        if (target.pushOut == null) {
            target.pushOut = target.channel().alloc().ioBuffer(256);
            target.push.wrap(target.pushOut, target.protocol);
            pushPending.add(target);
        }
        return target.push;
    }

    /** Ends a message begun with {@link #beginPush}. */
    public void endPush(Client target) {
        if (target != executing && target.pushOut != null && target.pushOut.readableBytes() >= PUSH_FLUSH_BYTES) {
            flushPush(target);
        }
    }

    /** Writes {@code c}'s buffered out-of-band output now (before anything else is written to it). */
    void flushPush(Client c) {
        ByteBuf b = c.pushOut;
        if (b == null) {
            return;
        }
        c.pushOut = null;
        c.push.wrap(null, c.protocol);
        if (c.closing || !b.isReadable()) {
            b.release();
        } else {
            c.channel().writeAndFlush(b, c.channel().voidPromise());
        }
    }

    private boolean pushFlushScheduled;

    /** Client-side caching's end-of-turn work (table limit, BCAST invalidations); cheap when nobody tracks. */
    private void trackingBeforeSleep() {
        if (tracking.clients() > 0 || tracking.totalKeys() > 0) {
            tracking.beforeSleep();
        }
    }

    /**
     * After a batch: writes the buffered out-of-band output at the end of this turn of the executor's loop rather
     * than now, so messages that many publishers' batches of one turn send to a subscriber leave in one write, as
     * Redis writes to clients once per event-loop turn (beforeSleep).
     */
    void flushPushesLater() {
        trackingBeforeSleep(); // at once, as before: the table limit and BCAST keys, whose pushes wait below
        if (pushFlushScheduled || pushPending.isEmpty()) {
            return;
        }
        pushFlushScheduled = true;
        executorLater.accept(() -> {
            pushFlushScheduled = false;
            flushPushes();
        });
    }

    /** Writes every client's buffered out-of-band output; called at the end of each loop turn and by the cron. */
    void flushPushes() {
        trackingBeforeSleep();
        if (pushPending.isEmpty()) {
            return;
        }
        for (int i = 0; i < pushPending.size(); i++) {
            flushPush(pushPending.get(i));
        }
        pushPending.clear();
    }

    /**
     * Closes another client's connection now (CLIENT KILL): it leaves the client list at once; its handler
     * reports the disconnect later.
     */
    public void kill(Client c) {
        onDisconnect(c);
        c.channel().close();
    }

    // ---------------------------------------------------------------- CLIENT PAUSE

    /**
     * Pauses clients until {@code endMs} (Unix ms). A pause never weakens one in effect: the type and end are each
     * the larger of the old and new, as in Redis.
     */
    public void pause(int type, long endMs) {
        if (pauseType == PAUSE_NONE) {
            pauseType = type;
            pauseEnd = endMs;
        } else {
            pauseType = Math.max(pauseType, type);
            pauseEnd = Math.max(pauseEnd, endMs);
        }
    }

    /** Ends the pause (CLIENT UNPAUSE); postponed clients run once the current batch is done. */
    public void unpause() {
        pauseType = PAUSE_NONE;
        pauseEnd = 0;
    }

    /** The pause in effect at {@code now}: one of the {@code PAUSE_} constants. */
    public int pauseType(long now) {
        if (pauseType != PAUSE_NONE && now >= pauseEnd) {
            unpause();
        }
        return pauseType;
    }

    /**
     * Whether the command in {@code argv} of {@code client} must wait for the pause to end (Redis's processCommand
     * check): under a WRITE pause, commands that write or may replicate, and an EXEC whose queue holds one.
     */
    boolean mustWait(Client client, byte[][] argv, long now) {
        int type = pauseType(now);
        if (type == PAUSE_NONE) {
            return false;
        }
        if (type == PAUSE_ALL) {
            return true;
        }
        Command cmd = commands.lookup(argv[0]);
        if (cmd != null && cmd.isContainer() && argv.length > 1) {
            cmd = cmd.subcommand(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        }
        // unknown commands and bad subcommands fail at once, as in Redis (the check follows the look-up there)
        if (cmd == null) {
            return false;
        }
        if (cmd.spec().hasFlag("write") || cmd.spec().hasFlag("may_replicate")) {
            return true;
        }
        String name = cmd.spec().name();
        if (cmd.spec().container() == null && (name.equals("eval") || name.equals("evalsha") || name.equals("fcall"))) {
            // a script may write unless its flags say no-writes (Redis derives EVAL's flags from the script)
            return scripting().mayWrite(argv);
        }
        return client.multi != null && client.multi.writes && cmd.spec().container() == null
                && cmd.spec().name().equals("exec");
    }

    /** Parks {@code requests} (the rest of a batch) of {@code client} until the pause ends. */
    void postpone(Client client, java.util.List<Object> requests) {
        client.deferred = requests;
        postponed.add(client);
    }

    /**
     * Once the pause ended (or weakened to WRITE), runs the postponed clients' requests in the order they were
     * postponed; a client whose next command still must wait is postponed again. Called after each batch and
     * from the cron; does nothing while a pause ALL is in effect.
     */
    void resumePostponed(long now) {
        if (resuming || postponed.isEmpty() || pauseType(now) == PAUSE_ALL || scriptRunning()) {
            return;
        }
        if (pauseType == PAUSE_WRITE && !mustWaitAny(now)) {
            return;
        }
        if (resumeRunner == null) {
            resumeRunner = new BatchRunner(this);
        }
        resuming = true;
        try {
            for (int n = postponed.size(); n > 0; n--) {
                Client c = postponed.poll();
                java.util.List<Object> requests = c.deferred;
                c.deferred = null;
                if (requests != null && !c.closing) {
                    resumeRunner.run(c, requests);
                }
            }
        } finally {
            resuming = false;
        }
    }

    /** Under a WRITE pause: whether some postponed client's next request could run now. */
    private boolean mustWaitAny(long now) {
        for (Client c : postponed) {
            Object next = c.deferred == null || c.deferred.isEmpty() ? null : c.deferred.get(0);
            if (!(next instanceof byte[][]) || !mustWait(c, (byte[][]) next, now)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- blocking operations

    /** Blocked clients and waited-on keys (INFO counts). */
    public BlockingKeys blocking() {
        return blocking;
    }

    /** Set by a dispatcher that must be told when the earliest blocking time-out is due (inline mode). */
    void timeoutWakeupScheduler(java.util.function.LongConsumer scheduler) {
        this.timeoutWakeupScheduler = scheduler;
    }

    /**
     * Parks {@code client}, whose blocking command found nothing to serve and wrote no reply: it waits on
     * {@code keys} of its database until one holds a value of {@code type}, or until {@code timeoutAt} (Unix
     * ms; 0 = forever). Its later requests wait behind the blocked command. A command re-run after a wake-up
     * keeps its first time-out, as Redis does.
     */
    public void blockForKeys(Client client, byte[][] keys, long timeoutAt, dev.peregrine.storage.ValueType type) {
        blockForKeys(client, keys, timeoutAt, type, false);
    }

    /**
     * As {@link #blockForKeys(Client, byte[][], long, dev.peregrine.storage.ValueType)}; with
     * {@code unblockOnNoKey} (XREADGROUP) a signalled key that is gone or of another type answers the client
     * {@code -UNBLOCKED the stream key no longer exists} instead of leaving it blocked.
     */
    public void blockForKeys(Client client, byte[][] keys, long timeoutAt, dev.peregrine.storage.ValueType type,
            boolean unblockOnNoKey) {
        if (client.reprocessTimeoutAt >= 0) {
            timeoutAt = client.reprocessTimeoutAt;
        }
        blocking.block(client, client.dbIndex, keys, timeoutAt, type, unblockOnNoKey);
        if (timeoutAt != 0 && (scheduledWakeup == 0 || timeoutAt < scheduledWakeup)) {
            scheduledWakeup = timeoutAt;
            timeoutWakeupScheduler.accept(timeoutAt);
        }
    }

    /**
     * A client with no connection, for commands the server runs itself (AOF loading, later a primary's
     * replication stream), with id -1: it is served while the dataset loads. Its replies are discarded by
     * {@link #executeAs}.
     */
    public Client pseudoClient() {
        return new Client(-1, new io.netty.channel.embedded.EmbeddedChannel(), null, System.currentTimeMillis(),
                true);
    }

    private ByteBuf pseudoReplies;

    /**
     * Runs {@code argv} for a {@link #pseudoClient()} through the normal command path and returns whether the
     * reply was an error; the reply itself is discarded. Executor-only (or the start-up thread before the
     * executor runs).
     */
    public boolean executeAs(Client pseudo, byte[][] argv) {
        if (pseudoReplies == null) {
            pseudoReplies = io.netty.buffer.Unpooled.buffer(256);
        }
        pseudoReplies.clear();
        pseudo.reply.wrap(pseudoReplies, pseudo.protocol);
        try {
            process(pseudo, argv, System.currentTimeMillis());
        } finally {
            pseudo.reply.wrap(null, pseudo.protocol);
        }
        boolean error = pseudoReplies.isReadable() && pseudoReplies.getByte(0) == '-';
        if (pseudoReplies.capacity() > 1 << 16) {
            pseudoReplies = null;
        }
        return error;
    }

    private Runnable beforeReply;

    // ---------------------------------------------------------------- start-up loading (INFO persistence)
    private volatile boolean loading;
    private volatile long loadingStartMs;
    private volatile long loadingTotalBytes;
    private final java.util.concurrent.atomic.AtomicLong loadingLoadedBytes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Marks the dataset as being loaded (start-up): commands without the {@code loading} flag then answer
     * {@code -LOADING}. Any thread.
     */
    public void loading(boolean on) {
        if (on) {
            loadingStartMs = System.currentTimeMillis();
            loadingLoadedBytes.set(0);
            loadingTotalBytes = 0;
        }
        loading = on;
    }

    /** Whether the dataset is being loaded. */
    public boolean loading() {
        return loading;
    }

    /** Adds to the size of the files being loaded, in bytes. Any thread. */
    public void loadingTotal(long bytes) {
        loadingTotalBytes += bytes;
    }

    /** Bytes of the files being loaded read so far; the loader adds to it. Any thread. */
    public java.util.concurrent.atomic.AtomicLong loadingLoaded() {
        return loadingLoadedBytes;
    }

    /** Unix ms the loading started. */
    public long loadingStart() {
        return loadingStartMs;
    }

    /** Total bytes to load (0 while unknown). */
    public long loadingTotalBytes() {
        return loadingTotalBytes;
    }

    /**
     * Runs {@code task} on the executor and waits for it (start-up loading hands its changes to the dataset over
     * this way while the executor already answers clients). Not to be called on the executor.
     */
    public void runAndWait(Runnable task) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the executor", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
    private java.util.function.Consumer<Runnable> executor = Runnable::run;
    private java.util.function.Consumer<Runnable> executorLater = Runnable::run;

    /**
     * Sets how tasks reach the executor ({@link Dispatcher#execute}, {@link Dispatcher#executeLater}); called
     * when the dispatcher is made.
     */
    public void executor(java.util.function.Consumer<Runnable> executor,
                         java.util.function.Consumer<Runnable> executorLater) {
        this.executor = executor;
        this.executorLater = executorLater;
    }

    /** Runs {@code task} on the executor after what is queued there. Any thread. */
    public void execute(Runnable task) {
        executor.accept(task);
    }

    /**
     * Runs {@code step} on the executor again and again, interleaved with client work, until it returns true
     * (background work in bounded slices, such as a snapshot's walk). Any thread.
     */
    public void runInSlices(java.util.function.BooleanSupplier step) {
        executorLater.accept(new Runnable() {
            @Override
            public void run() {
                if (!step.getAsBoolean()) {
                    executorLater.accept(this); // one slice per turn of the executor's loop
                }
            }
        });
    }

    /**
     * Sets the work done before replies are sent to clients (writing the AOF buffer, so a write is in the file
     * before its reply leaves). Control thread, before the executor runs; null clears it.
     */
    public void beforeReply(Runnable task) {
        this.beforeReply = task;
    }

    /** Where the effects of writes go (AOF, replicas). */
    public Propagation propagation() {
        return propagation;
    }

    private static final byte[] DEL = {'D', 'E', 'L'};
    private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};

    /**
     * Propagates the deletion of {@code key} (expiry, eviction) as {@code DEL}, or {@code UNLINK} when
     * {@code lazy}, as Redis does: within the current execution unit when a command's access expired it (so a
     * write to the key then goes out with it inside MULTI/EXEC), on its own from the active expire cycle.
     */
    public void propagateDeletion(int db, byte[] key, boolean lazy) {
        if (propagation.active()) {
            propagation.add(db, new byte[][] {lazy ? UNLINK : DEL, key});
        }
    }

    /** {@link #propagateDeletion} of a key that expired, by {@code lazyfree-lazy-expire}. */
    private void propagateExpired(int db, byte[] key) {
        if (propagation.active()) {
            propagateDeletion(db, key, config.boolValue("lazyfree-lazy-expire"));
        }
    }

    /** Marks a key as ready for the clients waiting on it (Redis's signalKeyAsReady); cheap when none wait. */
    public void signalKeyAsReady(int db, byte[] key) {
        blocking.signal(db, key);
    }

    /** Signals every waited-on key of database {@code db} (SWAPDB: the whole content changed). */
    public void signalWaitedKeys(int db) {
        for (byte[] key : blocking.keysOf(db)) {
            blocking.signal(db, key);
        }
    }

    /**
     * Serves the clients blocked on the keys signalled as ready (Redis's handleClientsBlockedOnKeys): for each
     * ready key in signal order, the clients waiting on it when the key is handled are visited in blocking order;
     * each whose wanted type the key now holds is unblocked and runs its command again at once, so the next one
     * only finds what is left. Keys made ready by those runs (a BLMOVE's destination) are served in further
     * rounds of the same call. A client that finds nothing stays blocked where it was.
     */
    void handleClientsBlockedOnKeys() {
        if (servingReady || !blocking.hasReady() || scriptRunning()) {
            return; // while a script is busy, clients it woke are served after it, not in its middle
        }
        servingReady = true;
        try {
            while (blocking.hasReady()) {
                for (BlockingKeys.DbKey k : blocking.takeReady()) {
                    Client[] waiters = blocking.waitersOf(k);
                    if (waiters == null) {
                        continue;
                    }
                    BlockingKeys.State[] states = new BlockingKeys.State[waiters.length];
                    for (int i = 0; i < waiters.length; i++) {
                        states[i] = waiters[i].blocked;
                    }
                    for (int i = 0; i < waiters.length; i++) {
                        Client w = waiters[i];
                        if (w.blocked != states[i] || w.blocked == null || w.closing) {
                            continue; // unblocked (or blocked anew, at the end) since the snapshot
                        }
                        long now = System.currentTimeMillis();
                        Object o = databases[k.db].lookup(k.key, now);
                        if (o != null && dev.peregrine.storage.Entry.type(o) == w.blocked.type) {
                            serveBlocked(w, now);
                        } else if (w.blocked.unblockOnNoKey) {
                            unblockWith(w, "UNBLOCKED the stream key no longer exists");
                        }
                    }
                }
            }
        } finally {
            servingReady = false;
        }
    }

    /** Unblocks {@code w} and runs its blocked command again, sending its reply now. */
    private void serveBlocked(Client w, long now) {
        byte[][] argv = (byte[][]) w.deferred.get(0);
        long timeoutAt = w.blocked.timeoutAt;
        blocking.unblock(w);
        flushPush(w);
        ByteBuf out = w.channel().alloc().ioBuffer(128);
        w.reply.wrap(out, w.protocol);
        w.reprocessTimeoutAt = timeoutAt;
        try {
            process(w, argv, now);
        } finally {
            w.reprocessTimeoutAt = -1;
            w.reply.wrap(null, w.protocol);
        }
        flush(w, out);
        if (w.blocked == null) {
            w.deferred.remove(0);
            queueUnblocked(w);
        }
    }

    /** After an unblock: the client's later requests run at the end of this turn; none left, it is free. */
    private void queueUnblocked(Client c) {
        if (c.deferred == null || c.deferred.isEmpty()) {
            c.deferred = null;
        } else {
            unblocked.add(c);
        }
    }

    /**
     * Runs the waiting requests of clients unblocked in this turn, in the order they were unblocked. Called at
     * the end of each batch and from the cron.
     */
    void processUnblocked() {
        if (drainingUnblocked || unblocked.isEmpty() || scriptRunning()) {
            return;
        }
        if (resumeRunner == null) {
            resumeRunner = new BatchRunner(this);
        }
        drainingUnblocked = true;
        try {
            Client c;
            while ((c = unblocked.poll()) != null) {
                java.util.List<Object> requests = c.deferred;
                if (c.blocked != null || requests == null) {
                    continue;
                }
                c.deferred = null;
                if (!c.closing) {
                    resumeRunner.run(c, requests);
                }
            }
        } finally {
            drainingUnblocked = false;
        }
    }

    /** Answers the blocked clients whose time-out passed with the time-out reply (a null array). */
    void handleBlockedTimeouts(long now) {
        if (blocking.blockedClients() == 0) {
            return;
        }
        for (Client c : blocking.expired(now)) {
            if (c.blocked != null) {
                unblockWith(c, null);
            }
        }
    }

    /** For inline mode's scheduled check: time-outs now, then the next wake-up. */
    void blockedTimeoutWakeup(long now) {
        scheduledWakeup = 0;
        handleBlockedTimeouts(now);
        processUnblocked();
        long next = blocking.earliestTimeout();
        if (next != 0) {
            scheduledWakeup = next;
            timeoutWakeupScheduler.accept(next);
        }
    }

    /**
     * CLIENT UNBLOCK: unblocks {@code target} if it is blocked on keys, answering it as a time-out
     * ({@code error} null) or with the error {@code error}. Its later requests run at the end of this turn.
     *
     * @return whether the client was blocked
     */
    public boolean unblockClient(Client target, String error) {
        if (target.blocked == null || target.closing) {
            return false;
        }
        unblockWith(target, error);
        return true;
    }

    /**
     * Parks {@code client}, whose command wrote no reply, until {@link #unblockWithReply} answers it or
     * {@code timeoutAt} (Unix ms; 0 = never) passes, when {@code timeoutReply} writes its reply (WAIT). Its later
     * requests wait behind it, as behind a blocking pop.
     */
    public void blockForReply(Client client, long timeoutAt,
                              java.util.function.Consumer<dev.peregrine.protocol.ReplyWriter> timeoutReply) {
        blocking.block(client, client.dbIndex, new byte[0][], timeoutAt, null).timeoutReply = timeoutReply;
        if (timeoutAt != 0 && (scheduledWakeup == 0 || timeoutAt < scheduledWakeup)) {
            scheduledWakeup = timeoutAt;
            timeoutWakeupScheduler.accept(timeoutAt);
        }
    }

    /** Answers a client parked by {@link #blockForReply} with {@code reply}; false if it is not blocked. */
    public boolean unblockWithReply(Client target, java.util.function.Consumer<dev.peregrine.protocol.ReplyWriter> reply) {
        if (target.blocked == null || target.closing) {
            return false;
        }
        target.blocked.timeoutReply = reply;
        unblockWith(target, null);
        return true;
    }

    private void unblockWith(Client c, String error) {
        java.util.function.Consumer<dev.peregrine.protocol.ReplyWriter> custom = c.blocked.timeoutReply;
        blocking.unblock(c);
        flushPush(c);
        ByteBuf out = c.channel().alloc().ioBuffer(64);
        c.reply.wrap(out, c.protocol);
        if (error == null && custom != null) {
            custom.accept(c.reply);
        } else if (error == null) {
            c.reply.nullArray();
        } else {
            stats.countError(error);
            c.reply.error(error);
        }
        applyReplyMode(c, 0);
        c.reply.wrap(null, c.protocol);
        flush(c, out);
        Command cmd = commands.lookup((byte[]) ((byte[][]) c.deferred.remove(0))[0]);
        if (cmd != null) {
            // the blocked call completes here (Redis counts it when the client is unblocked)
            cmd.recordCall(0, error != null);
        }
        stats.commandsProcessed++;
        queueUnblocked(c);
    }

    // ---------------------------------------------------------------- the command path

    /** Commands that run at once inside MULTI instead of being queued (Redis's processCommand exceptions). */
    private static final java.util.Set<String> RUN_IN_MULTI = java.util.Set.of("exec", "discard", "multi", "watch",
            "quit", "reset");
    /** Commands never propagated themselves: the commands they run are (EXEC, scripts, functions). */
    private static final java.util.Set<String> PROPAGATES_EFFECTS = java.util.Set.of("exec", "eval", "evalsha",
            "eval_ro", "evalsha_ro", "fcall", "fcall_ro");
    /** Commands a RESP2 client in Pub/Sub mode may run. */
    private static final java.util.Set<String> ALLOWED_SUBSCRIBED = java.util.Set.of("ping", "subscribe",
            "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    /**
     * Runs one command of {@code client}, writing its reply into the client's reply writer, which must already
     * wrap the output buffer of the current batch. Inside MULTI the command is checked and queued instead (a
     * rejection marks the transaction failed). EXEC runs the queued commands through here too, nested in its own
     * call: a nested call skips what concerns the top-level request only (idle time, CLIENT LIST cmd=, CLIENT
     * REPLY modes, pushes to the caller deferred past the reply).
     */
    public void process(Client client, byte[][] argv, long now) {
        // a nested call (EXEC's commands, DEBUG LOADAOF's replay) leaves its caller's context as it found it
        CommandContext.Saved outer = depth > 0 ? ctx.save() : null;
        propagation.enter(client);
        try {
            processUnit(client, argv, now);
        } finally {
            propagation.exit();
            if (outer != null) {
                ctx.restore(outer);
            }
        }
    }

    private void processUnit(Client client, byte[][] argv, long now) {
        boolean nested = depth > 0;
        CommandContext c = ctx;
        c.begin(client, argv, now);
        if (!nested) {
            client.lastInteraction = now; // before the call: CLIENT LIST shows the caller with idle=0, as Redis
            executing = client;
        }
        depth++;
        int mark = client.reply.buffer().writerIndex();
        Command cmd = commands.lookup(argv[0]);
        try {
            if (cmd == null) {
                reject(client, unknownCommand(argv));
                return;
            }
            if (cmd.isContainer() && !(argv.length < 2 && cmd.handler() != null)) {
                // a container with its own handler (COMMAND) runs it when called without a subcommand
                if (argv.length < 2) {
                    cmd.recordRejected();
                    reject(client, Errors.wrongArity(cmd.spec().fullName()));
                    return;
                }
                Command sub = cmd.subcommand(new String(argv[1], StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT));
                if (sub == null) {
                    cmd.recordRejected();
                    reject(client, "ERR unknown subcommand '" + truncate(argv[1], 128) + "'. Try "
                            + cmd.spec().name().toUpperCase(Locale.ROOT) + " HELP.");
                    return;
                }
                cmd = sub;
            }
            c.command(cmd);
            if (!cmd.spec().arityAccepts(argv.length)) {
                cmd.recordRejected();
                reject(client, Errors.wrongArity(cmd.spec().fullName()));
                return;
            }
            if (requirePass != null && !client.authenticated && !cmd.spec().hasFlag("no_auth")) {
                cmd.recordRejected();
                reject(client, Errors.NOAUTH);
                return;
            }
            if (loading && client.id() >= 0 && !cmd.spec().hasFlag("loading")) { // the loader's own client runs
                cmd.recordRejected();
                reject(client, "LOADING Redis is loading the dataset in memory");
                return;
            }
            if (scripting != null && scripting.busy() && !client.inScript() && !cmd.spec().hasFlag("allow_busy")
                    && !(cmd.spec().name().equals("shutdown") && hasNosave(argv))) {
                cmd.recordRejected();
                reject(client, scripting.busyError());
                return;
            }
            String replDenial = replication.commandDenial(client, cmd.spec(), client.multi != null
                    && client.multi.writes && cmd.spec().container() == null && cmd.spec().name().equals("exec"));
            if (replDenial != null) {
                cmd.recordRejected();
                reject(client, replDenial);
                return;
            }
            if (snapshots.persistenceFailing() && (cmd.spec().hasFlag("write") || cmd.spec().name().equals("ping"))) {
                String denial = snapshots.writeDenial();
                if (denial != null) {
                    cmd.recordRejected();
                    reject(client, denial);
                    return;
                }
            }
            boolean queuing = client.multi != null && !client.multi.executing;
            if (queuing && cmd.spec().hasFlag("no_multi")) {
                cmd.recordRejected();
                reject(client, "ERR Command not allowed inside a transaction");
                return;
            }
            if (client.pubsub && client.protocol == 2 && !(cmd.spec().container() == null
                    && ALLOWED_SUBSCRIBED.contains(cmd.spec().name()))) {
                cmd.recordRejected();
                reject(client, "ERR Can't execute '" + cmd.spec().fullName() + "': only (P|S)SUBSCRIBE / "
                        + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return;
            }
            if (!nested) {
                client.lastCommand = cmd.spec().fullName(); // set before the call: CLIENT INFO shows itself
            }
            if (queuing && !(cmd.spec().container() == null && RUN_IN_MULTI.contains(cmd.spec().name()))) {
                client.multi.queue(argv, cmd.spec().hasFlag("write") || cmd.spec().hasFlag("may_replicate"));
                client.reply.queued();
                return;
            }
            long started = System.nanoTime();
            errorsMark = stats.totalErrorReplies;
            long dirtyBefore = stats.dirty;
            try {
                cmd.handler().execute(c);
            } catch (CommandError e) {
                client.reply.buffer().writerIndex(mark);
                c.begin(client, argv, now); // EXEC's inner calls moved the context on
                c.error(e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Command {} failed", cmd.spec().fullName(), e);
                client.reply.buffer().writerIndex(mark);
                c.begin(client, argv, now);
                c.error("ERR internal error: " + e);
            }
            if (propagation.active() && !PROPAGATES_EFFECTS.contains(cmd.spec().fullName())) {
                // SAVE lowers the counter: only a rise means a change (as Redis clamps the delta at 0)
                c.propagateCall(stats.dirty > dirtyBefore);
            }
            if (tracking.clients() > 0 && cmd.spec().hasFlag("readonly") && executing != null
                    && Tracking.on(executing) && !Tracking.bcast(executing) && client.blocked == null) {
                trackingRememberKeys(executing, cmd, argv);
            }
            if (client.blocked == null) {
                // a blocked command is counted when it runs again and completes, as Redis does; a failure is an
                // error reply since the last call ended (for EXEC: after its last inner command), as Redis
                cmd.recordCall((System.nanoTime() - started) / 1000, stats.totalErrorReplies != errorsMark);
                stats.commandsProcessed++;
            }
            errorsMark = stats.totalErrorReplies;
        } finally {
            depth--;
            if (!nested) {
                executing = null;
                if (client.tracking != null && client.multi == null && !(cmd != null
                        && "client".equals(cmd.spec().container() != null ? cmd.spec().container()
                        : cmd.spec().name()))) {
                    Tracking.commandDone(client);
                }
                if (client.blocked == null) {
                    // a blocked command wrote nothing; CLIENT REPLY SKIP applies to its eventual reply
                    applyReplyMode(client, mark);
                }
                if (selfPush != null && selfPush.isReadable()) {
                    // pushes to the caller follow its reply, and are sent even with CLIENT REPLY OFF (Redis 7.2)
                    client.reply.buffer().writeBytes(selfPush);
                    selfPush.clear();
                }
            }
        }
    }

    private static boolean hasNosave(byte[][] argv) {
        for (int i = 1; i < argv.length; i++) {
            if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("nosave")) {
                return true;
            }
        }
        return false;
    }

    /** Answers a command rejected before it ran; inside MULTI this also makes EXEC fail (flagTransaction). */
    private void reject(Client client, String error) {
        ctx.error(error);
        if (client.multi != null) {
            client.multi.dirtyExec = true;
        }
    }

    private static void applyReplyMode(Client client, int mark) {
        switch (client.replyMode) {
            case ON:
                break;
            case OFF:
                client.reply.buffer().writerIndex(mark);
                break;
            case SKIP_NEXT:
                // CLIENT REPLY SKIP itself answers nothing; the next command is skipped
                client.reply.buffer().writerIndex(mark);
                client.replyMode = Client.ReplyMode.SKIP;
                break;
            case SKIP:
                client.reply.buffer().writerIndex(mark);
                client.replyMode = Client.ReplyMode.ON;
                break;
            default:
                throw new AssertionError(client.replyMode);
        }
    }

    /** Answers a framing error that ended the client's request stream; the connection closes after it. */
    public void protocolError(Client client, String message) {
        ctx.begin(client, null, System.currentTimeMillis());
        ctx.error(message);
        client.closeAfterReply();
    }

    private static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            int room = 128 - args.length();
            args.append('\'').append(truncate(argv[i], room)).append("' ");
        }
        return "ERR unknown command '" + truncate(argv[0], 128) + "', with args beginning with: " + args;
    }

    /** At most {@code max} bytes, stopping at a NUL byte as Redis's {@code %.*s} formatting does. */
    private static String truncate(byte[] b, int max) {
        int n = Math.min(b.length, Math.max(0, max));
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                n = i;
                break;
            }
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- periodic work

    /** Milliseconds between cron runs at the current {@code hz}. */
    public long cronPeriodMs() {
        return Math.max(1, 1000 / hz);
    }

    /** Runs the periodic task if its period has passed; returns whether it ran. */
    public boolean cronIfDue(long now) {
        if (now - lastCronRun < cronPeriodMs()) {
            return false;
        }
        lastCronRun = now;
        cron(now);
        return true;
    }

    /** The periodic task (Redis's serverCron): expiry, rehashing, client time-outs, statistics. */
    public void cron(long now) {
        if (activeExpireEnabled && !replication.isReplica()) {
            activeExpireCycle(now); // a replica waits for its primary's deletions
        }
        snapshots.cron(now);
        replication.cron(now);
        if (config.boolValue("activerehashing")) {
            for (Database db : databases) {
                if (db.table().rehashing()) {
                    db.table().rehashFor(1_000_000);
                    break;
                }
            }
        }
        stats.sampleOps(now);
        closeIdleClients(now);
        resumePostponed(now);
        handleBlockedTimeouts(now);
        processUnblocked();
        flushPushes();
    }

    /**
     * Redis's slow active expire cycle: for each database in turn, rounds of {@link Database#EXPIRE_SAMPLE}
     * sampled volatile keys while more than 10% of a round expired, within 25% of the cron period.
     */
    private void activeExpireCycle(long now) {
        long budgetNanos = cronPeriodMs() * 1_000_000L * 25 / 100;
        long deadline = System.nanoTime() + budgetNanos;
        int effort = config.intValue("active-expire-effort");
        int sample = Database.EXPIRE_SAMPLE + Database.EXPIRE_SAMPLE / 4 * (effort - 1);
        int acceptableStalePercent = 10 - effort + 1;
        for (int n = 0; n < databases.length; n++) {
            Database db = databases[activeExpireDb];
            activeExpireDb = (activeExpireDb + 1) % databases.length;
            if (db.volatileCount() == 0) {
                continue;
            }
            int expired;
            do {
                int sampled = Math.min(sample, db.volatileCount());
                expired = db.activeExpire(now, sample);
                if (sampled == 0 || expired * 100 / sampled <= acceptableStalePercent) {
                    break;
                }
            } while (System.nanoTime() < deadline);
            if (System.nanoTime() >= deadline) {
                return;
            }
        }
    }

    private void closeIdleClients(long now) {
        long timeout = config.longValue("timeout");
        if (timeout <= 0) {
            return;
        }
        for (Client c : clients.values()) {
            // clients waiting for a CLIENT PAUSE to end count as blocked, which Redis never times out
            if (c.deferred == null && now - c.lastInteraction > timeout * 1000) {
                log.debug("Closing idle client");
                c.closing = true;
                c.channel().close();
            }
        }
    }

    /** Writes the buffered replies of a batch to the client's connection. Used by both dispatch modes. */
    void flush(Client client, ByteBuf out) {
        if (beforeReply != null) {
            beforeReply.run();
        }
        if (out.isReadable() && !client.closing) {
            if (client.closeAfterReply) {
                client.closing = true;
                client.channel().writeAndFlush(out).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            } else {
                client.channel().writeAndFlush(out, client.channel().voidPromise());
            }
        } else {
            out.release();
            if (client.closeAfterReply && !client.closing) {
                client.closing = true;
                client.channel().close();
            }
        }
    }
}
