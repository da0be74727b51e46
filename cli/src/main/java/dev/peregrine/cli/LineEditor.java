package dev.peregrine.cli;

import java.io.IOException;
import java.io.OutputStream;

/** What the interactive prompt needs from a line editor ({@link Prompt} is the JLine one). Single-threaded. */
interface LineEditor extends AutoCloseable {
    /** Shows {@code prompt} and reads one line (UTF-8 bytes), or {@code null} when the user ends the session. */
    byte[] readLine(String prompt);

    /** Where replies between prompts are printed, so they stay in order with the editor's own drawing. */
    OutputStream output();

    void clearScreen();

    @Override
    void close() throws IOException;
}
