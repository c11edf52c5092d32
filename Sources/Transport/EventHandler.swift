/// Something registered with an `EventLoop` for readiness of one file descriptor. Called on the loop thread only.
public protocol EventHandler: AnyObject {
    func handleEvents(_ events: IOEvents)
}

