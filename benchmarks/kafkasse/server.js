'use strict';
// Wikimedia's KafkaSSE (npm kafka-sse) as its README sets it up: GET /<topics> streams those topics, one
// Kafka consumer per client. Used by run.sh for the side-by-side benchmark only.
const kafkaSse = require('kafka-sse');
const http = require('http');

const port = Number(process.env.PORT || 6917);
const brokers = process.env.BROKERS || '127.0.0.1:19092';
const server = http.createServer();
server.on('request', (req, res) => {
    const topics = req.url.replace(/^\//, '').split('?')[0].split(',');
    kafkaSse(req, res, topics, { kafkaConfig: { 'metadata.broker.list': brokers } }).catch(() => {});
});
server.maxConnections = 100000;
server.listen(port, () => console.log(`KafkaSSE listening on ${port}`));
