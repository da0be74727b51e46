package dev.peregrine.server.exec;

import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Inline mode: the one I/O thread is also the executor. Requests run as soon as a read is decoded, and the
 * periodic task runs on the same event loop, so the executor-only rule holds with no hand-off at all. Chosen
 * when {@code io-threads} is 1 (see docs/architecture.md for the measurements behind that default).
 */
public final class InlineDispatcher implements Dispatcher {
    private final Engine engine;
    private final BatchRunner runner;
    private final EventLoop loop;
    private volatile ScheduledFuture<?> cron;
    /** The scheduled check of the earliest blocking time-out, or null. */
    private ScheduledFuture<?> timeoutCheck;

    /** @param loop the single event loop every connection is registered on */
    public InlineDispatcher(Engine engine, EventLoop loop) {
        this.engine = engine;
        this.runner = new BatchRunner(engine);
        this.loop = loop;
        // blocked clients time out on time, not only at the next cron tick (up to 1000/hz ms later)
        engine.timeoutWakeupScheduler(this::scheduleTimeoutCheck);
        // a busy script holds the event loop: poll the other connections' sockets from its hook
        engine.busyPoller(() -> {
            Client caller = engine.executingClient();
            for (Client c : engine.clients().values().toArray(new Client[0])) {
                if (c != caller && !c.closing()) {
                    c.channel().pipeline().fireUserEventTriggered(POLL_WHILE_BUSY);
                }
            }
        });
    }

    private void scheduleTimeoutCheck(long atMs) {
        if (timeoutCheck != null) {
            timeoutCheck.cancel(false);
        }
        // Redis times out a client once its time-out is strictly in the past: check 1 ms after it
        long delay = Math.max(0, atMs + 1 - System.currentTimeMillis());
        timeoutCheck = loop.schedule(() -> {
            timeoutCheck = null;
            engine.blockedTimeoutWakeup(System.currentTimeMillis());
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The event loop that runs the executor role. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void connected(Client client) {
        engine.onConnect(client);
    }

    @Override
    public void dispatch(Client client, List<Object> requests) {
        runner.run(client, requests);
    }

    @Override
    public boolean runsOnCallerThread() {
        return true;
    }

    @Override
    public void disconnected(Client client) {
        engine.onDisconnect(client);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void executeLater(Runnable task) {
        // a scheduled task joins the run queue only at the start of the next loop turn, after its I/O
        loop.schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void start() {
        scheduleCron();
    }

    private void scheduleCron() {
        cron = loop.schedule(() -> {
            engine.cron(System.currentTimeMillis());
            if (!loop.isShuttingDown()) {
                scheduleCron();
            }
        }, engine.cronPeriodMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (cron != null) {
            cron.cancel(false);
        }
        if (timeoutCheck != null) {
            timeoutCheck.cancel(false);
        }
    }
}
