/// What the I/O side must do for a connection. The state machine decides; `HTTPConnection` only executes.
public enum HTTPConnectionAction: Sendable {
    /// Write `HTTP/1.1 100 Continue` (the request announced a body with `Expect: 100-continue`).
    case sendContinue
    /// Hand a complete request to the application; answer with `responseReady` later.
    case dispatch(HTTPRequest)
    /// Write this response; report `writeCompleted` once it has been handed to the kernel in full.
    case send(HTTPResponse, HTTPResponseContext)
    /// Shut down the sending side and keep discarding input until EOF or the linger deadline, so unread request
    /// bytes do not turn the close into a RST that destroys the response in flight.
    case shutdownWrite
    /// Close the socket now.
    case close
}
