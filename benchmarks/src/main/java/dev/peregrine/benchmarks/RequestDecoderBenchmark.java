package dev.peregrine.benchmarks;

import dev.peregrine.protocol.ProtocolException;
import dev.peregrine.protocol.RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Decoding a read that holds a pipeline of {@value #PIPELINE} {@code SET key:<n> <value>} requests (multibulk, as
 * redis-benchmark sends them), reported per request. {@code valueSize} is the value length in bytes.
 *
 * <p>Run: {@code java -jar benchmarks/target/peregrine-benchmarks.jar RequestDecoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestDecoderBenchmark {
    static final int PIPELINE = 64;

    @Param({"16", "1024"})
    int valueSize;

    private ByteBuf pipeline;
    private RequestDecoder decoder;

    @Setup
    public void build() {
        StringBuilder s = new StringBuilder();
        String value = "x".repeat(valueSize);
        for (int i = 0; i < PIPELINE; i++) {
            String key = String.format("key:%012d", i);
            s.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
             .append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
        pipeline = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        decoder = new RequestDecoder(512L * 1024 * 1024);
    }

    @TearDown
    public void release() {
        pipeline.release();
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void decodePipeline(Blackhole bh) throws ProtocolException {
        pipeline.readerIndex(0);
        decoder.decode(pipeline, bh::consume);
    }
}
