package io.poolmta.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A line-by-line SMTP client for tests: each command's whole reply as one string. */
final class LineSmtp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    LineSmtp(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        socket = new Socket();
        socket.connect(
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (b == -1 && line.isEmpty()) {
                return all.isEmpty() ? "(closed)" : all.toString();
            }
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString().strip();
            }
        }
    }

    String send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** DATA, the content dot-stuffed, the final dot: the reply to the content. */
    String data(byte[] content) throws IOException {
        String go = send("DATA");
        if (!go.startsWith("354")) {
            return go;
        }
        String text = new String(content, StandardCharsets.ISO_8859_1).replace("\r\n.", "\r\n..");
        if (text.startsWith(".")) {
            text = "." + text;
        }
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.write((text.endsWith("\r\n") ? ".\r\n" : "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
