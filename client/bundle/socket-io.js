// The socket.io client inside the bundle: esbuild's --inject gives the modules this `io`
// where they name the global one (the sources get it from /vendor/socket.io.min.js).
export { io } from "socket.io-client";
