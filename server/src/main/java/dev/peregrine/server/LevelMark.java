package dev.peregrine.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback converter printing Redis's level marks: {@code .} debug, {@code -} verbose, {@code *} notice, {@code #} warning. */
public final class LevelMark extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        int l = event.getLevel().toInt();
        if (l >= Level.WARN_INT) {
            return "#";
        }
        if (l >= Level.INFO_INT) {
            return "*";
        }
        if (l >= Level.DEBUG_INT) {
            return "-";
        }
        return ".";
    }
}
