package dev.peregrine.server;

import dev.peregrine.server.config.ServerConfig;
import dev.peregrine.server.exec.Dispatcher;
import dev.peregrine.server.exec.Engine;
import dev.peregrine.server.exec.InlineDispatcher;
import dev.peregrine.server.exec.QueueDispatcher;
import dev.peregrine.server.exec.ServerInfo;
import dev.peregrine.server.net.NetworkServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * One Peregrine server: wires the configuration, the {@link Engine}, the dispatch mode and the network, and
 * starts and stops them in order. Tests embed it directly; {@link Main} runs it as a process.
 *
 * <p>{@link #start()} and {@link #stop()} are called from a control thread (main, a test, the shutdown hook).
 */
public final class PeregrineServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeregrineServer.class);
    private final ServerConfig config;
    private final ServerInfo info = new ServerInfo();
    private final Engine engine;
    private final NetworkServer network;
    private final Dispatcher dispatcher;
    private final boolean inline;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean started;
    private Runnable afterStop = () -> { };

    public PeregrineServer(ServerConfig config) {
        this.config = config;
        info.configFile(config.configFile());
        this.engine = new Engine(config, info);
        int ioThreads = config.intValue("io-threads");
        String mode = config.stringValue("executor-mode");
        this.inline = mode.equals("inline") || (mode.equals("auto") && ioThreads == 1);
        this.network = new NetworkServer(config, engine.stats(), inline ? 1 : ioThreads);
        this.dispatcher = inline
                ? new InlineDispatcher(engine, network.workerGroup().next())
                : new QueueDispatcher(engine);
        engine.executor(dispatcher::execute, dispatcher::executeLater);
        engine.shutdownAction(() -> {
            Thread t = new Thread(this::stop, "peregrine-shutdown");
            t.start();
        });
    }

    /** What to do once stopped by SHUTDOWN (the process exits; a test does nothing). */
    public void afterStop(Runnable action) {
        this.afterStop = action;
    }

    /**
     * Loads the RDB file named by {@code dir} and {@code dbfilename} if present, then starts the executor role
     * and binds the listeners.
     *
     * @throws Exception {@code StartupLoader.LoadFailure} when the RDB file exists but cannot be loaded (nothing is
     *                   then loaded); the network's exceptions when a required address cannot be bound
     * @return the TCP port bound
     */
    public int start() throws Exception {
        // clients may connect while the dataset loads: they get -LOADING until it is in (as from Redis)
        engine.loading(true);
        dispatcher.start();
        int port = network.start(dispatcher);
        info.port(port);
        try {
            if (config.boolValue("appendonly")) {
                startAof();
            } else {
                StartupLoader.load(config, engine);
            }
        } catch (Exception e) {
            halt(false); // not started: nothing is saved over the files that failed to load
            throw e;
        } finally {
            engine.loading(false);
        }
        started = true;
        // CONFIG SET appendonly at runtime: the AOF is opened (first base by a rewrite) or closed on the executor
        config.onChange("appendonly", v -> {
            if ((Boolean) v) {
                String error = engine.snapshots().startAof();
                if (error != null) {
                    config.setQuietly("appendonly", "no");
                }
            } else {
                engine.snapshots().stopAof();
            }
        });
        engine.replication().network(network.workerGroup(), port);
        engine.replication().clientIds(network::nextClientId);
        engine.execute(() -> engine.replication().startFromConfig());
        log.info("Server initialized");
        log.info("Executor mode: {} ({} I/O thread{}, {} transport)", inline ? "inline" : "thread",
                 inline ? 1 : config.intValue("io-threads"), (inline || config.intValue("io-threads") == 1) ? "" : "s",
                 network.transport());
        log.info("Ready to accept connections tcp");
        return port;
    }

    /**
     * With {@code appendonly yes}: loads the AOF (the RDB file is not read, as Redis does), then opens it for
     * appending and attaches it to the propagation of writes.
     */
    private void startAof() throws Exception {
        var loader = new dev.peregrine.server.persistence.AofLoader(engine,
                dev.peregrine.server.persistence.Snapshots.loaderOptions(config, engine.databaseCount()),
                java.nio.file.Path.of(config.stringValue("dir")), config.stringValue("appenddirname"),
                config.stringValue("appendfilename"), config.boolValue("aof-load-truncated"), engine::runAndWait);
        var manifest = loader.load();
        var aof = new dev.peregrine.server.persistence.AppendOnlyFile(config);
        aof.open(manifest);
        engine.runAndWait(() -> {
            engine.snapshots().aof(aof);
            engine.propagation().addSink(aof);
            engine.beforeReply(aof::beforeReply);
        });
    }

    /** The append-only file, or null when {@code appendonly} is off. */
    public dev.peregrine.server.persistence.AppendOnlyFile aof() {
        return engine.snapshots().aof();
    }

    public int port() {
        return info.port();
    }

    public Engine engine() {
        return engine;
    }

    public ServerInfo info() {
        return info;
    }

    /** Whether the executor role runs on the I/O thread. */
    public boolean inlineMode() {
        return inline;
    }

    /** Stops accepting, closes connections, stops the executor. Idempotent. */
    public void stop() {
        halt(true);
    }

    private void halt(boolean userRequested) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        if (userRequested) {
            log.info("User requested shutdown...");
        }
        if (!engine.snapshots().shutdownPrepared() && started) {
            // a signal, not SHUTDOWN: save as SHUTDOWN without arguments would, on the executor
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            engine.execute(() -> {
                try {
                    engine.snapshots().prepareForShutdown(false, false, true);
                } finally {
                    done.complete(null);
                }
            });
            try {
                done.get(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (Exception e) {
                log.warn("Could not finish the shutdown save: {}", e.toString());
            }
        }
        network.stop();
        dispatcher.close();
        if (engine.snapshots().aof() != null) {
            engine.snapshots().aof().close();
        }
        log.info("Peregrine is now ready to exit, bye bye...");
        stopped.countDown();
        if (userRequested) {
            afterStop.run();
        }
    }

    /** Blocks until the server stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stop();
    }
}
