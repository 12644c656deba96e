// Module RPCTransport.
