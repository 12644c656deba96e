// Module RPCMessages.
