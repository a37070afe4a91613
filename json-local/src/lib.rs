//! json-local: local DynamoDB (awsJson1_0), CloudWatch Logs (awsJson1_1) and CloudWatch
//! (rpcv2Cbor) services for development and tests, built on the generated `fixture-dynamodb`,
//! `fixture-logs` and `fixture-cloudwatch` crates (trimmed from the real models; CloudWatch's
//! with an IDL overlay that adds the protocol AWS serves it in today). They verify SigV4, so
//! boto3, the AWS CLI and the AWS SDKs talk to them with only an endpoint URL and credentials
//! set. Beside them, Stations (`fixture-rpc_v2_cbor`, the test fixture's station log), which
//! answers rpcv2Cbor and awsJson1_0 from one server: what the benchmark compares the two
//! protocols on. And Bedrock Runtime (restJson1, `fixture-bedrock`), whose two streaming
//! operations answer over event streams with a toy model. (The name is older than the CBOR
//! and event-stream services: they all share one command line.)

pub mod bedrock;
pub mod cli;
pub mod cloudwatch;
pub mod dynamodb;
pub mod expression;
pub mod logs;
pub mod stations;

pub use bedrock::BedrockLocal;
pub use cloudwatch::CloudWatchLocal;
pub use dynamodb::DynamoDbLocal;
pub use logs::LogsLocal;
pub use stations::StationsLocal;
