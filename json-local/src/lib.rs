//! json-local: local DynamoDB (awsJson1_0) and CloudWatch Logs (awsJson1_1) services for
//! development and tests, built on the generated `fixture-dynamodb` and `fixture-logs` crates
//! (trimmed from the real models). They verify SigV4, so boto3, the AWS CLI and the AWS SDKs
//! talk to them with only an endpoint URL and credentials set.

pub mod cli;
pub mod dynamodb;
pub mod expression;
pub mod logs;

pub use dynamodb::DynamoDbLocal;
pub use logs::LogsLocal;
