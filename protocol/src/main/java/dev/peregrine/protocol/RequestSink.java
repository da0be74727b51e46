package dev.peregrine.protocol;

/** Receives the commands a {@link RequestDecoder} finds, in order. Called on the decoding thread. */
@FunctionalInterface
public interface RequestSink {
    /**
     * One command.
     *
     * @param argv the command name and its arguments, each a fresh byte array owned by the receiver from now on;
     *             never empty
     */
    void onCommand(byte[][] argv);
}
