package dev.peregrine.server;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback converter printing the process id, as the first field of Redis's log lines. */
public final class PidConverter extends ClassicConverter {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @Override
    public String convert(ILoggingEvent event) {
        return PID;
    }
}
