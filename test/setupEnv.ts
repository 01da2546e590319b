// Test runs keep the engine's logs quiet unless DSTREAMS_LOG_LEVEL asks for them (failures still show in jest).
process.env.DSTREAMS_LOG_LEVEL ??= 'silent';
