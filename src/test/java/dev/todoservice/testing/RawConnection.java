package dev.todoservice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A plain TCP connection to the server, for requests no well-behaved HTTP client would send: malformed, partial or
 * stalled. Every read is bounded by a timeout.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects to a local port.
     *
     * @param port the server port
     * @return the connection
     */
    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout(10_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request and reads the answer until the server closes the connection or the answer is complete.
     *
     * @param port    the server port
     * @param request the raw request
     * @return the raw answer
     */
    public static String exchange(int port, String request) {
        try (RawConnection connection = open(port)) {
            connection.send(request);
            return connection.readAnswer();
        }
    }

    /**
     * Writes bytes as they are (ISO-8859-1, so every char is one byte).
     *
     * @param data what to send
     * @return this
     */
    public RawConnection send(String data) {
        try {
            socket.getOutputStream().write(data.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one answer: the header and as many body bytes as {@code Content-Length} says, or up to the close.
     *
     * @return the raw answer
     */
    public String readAnswer() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                received.write(buffer, 0, read);
                if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
            return received.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closes the connection within the time, reading and discarding anything it sends first.
     *
     * @param timeout how long to wait
     * @return true when the connection was closed (or reset) by the server in time
     */
    public boolean closedWithin(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // keep reading until the end of the stream
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // connection reset: closed by the server
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Byte counts: the text is decoded as ISO-8859-1, one char per byte.
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + "content-length:".length(),
                                                     lineEnd < 0 ? head.length() : lineEnd).strip());
        return text.length() - end - 4 >= length;
    }
}
