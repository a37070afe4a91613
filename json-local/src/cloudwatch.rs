//! A local CloudWatch (Smithy RPC v2 CBOR, awsQuery-compatible) over in-memory metrics:
//! PutMetricData, ListMetrics, GetMetricStatistics and GetMetricData, as an implementation of
//! the generated [`CloudWatch`] trait.
//!
//! A metric is its namespace, name and set of dimensions; each published value, list of
//! values with counts, or statistic set is kept as one sample (count, sum, minimum, maximum)
//! at its timestamp. Statistics are computed over the samples of each period from the start
//! time, as the service aggregates them. Percentiles (extended statistics) and metric math
//! expressions are not computed.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use fixture_cloudwatch::error::{GetMetricDataError, GetMetricStatisticsError, ListMetricsError, PutMetricDataError};
use fixture_cloudwatch::service::CloudWatch;
use fixture_cloudwatch::types::{
    Datapoint, Dimension, GetMetricDataInput, GetMetricDataOutput, GetMetricStatisticsInput, GetMetricStatisticsOutput,
    InvalidNextToken, InvalidParameterCombinationException, InvalidParameterValueException, ListMetricsInput,
    ListMetricsOutput, Metric, MetricDataQuery, MetricDataResult, MetricDatum, MissingRequiredParameterException,
    PutMetricDataInput, PutMetricDataOutput, ScanBy, StandardUnit, Statistic, StatusCode,
};
use smithy_runtime::error::Unhandled;
use smithy_runtime::DateTime;

/// A metric's identity: its namespace, its name and its dimensions sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct MetricKey {
    namespace: String,
    name: String,
    dimensions: Vec<(String, String)>,
}

impl MetricKey {
    fn new(namespace: &str, name: &str, dimensions: &[Dimension]) -> Self {
        let mut dimensions: Vec<(String, String)> =
            dimensions.iter().map(|d| (d.name.clone(), d.value.clone())).collect();
        dimensions.sort();
        Self { namespace: namespace.to_owned(), name: name.to_owned(), dimensions }
    }

    fn metric(&self) -> Result<Metric, smithy_runtime::BuildError> {
        let dimensions =
            self.dimensions.iter().map(|(name, value)| Dimension::builder().name(name).value(value).build());
        Ok(Metric::builder()
            .namespace(self.namespace.clone())
            .metric_name(self.name.clone())
            .dimensions(dimensions.collect::<Result<_, _>>()?)
            .build())
    }
}

/// The statistics of one or more published values.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Summary {
    count: f64,
    sum: f64,
    min: f64,
    max: f64,
}

impl Summary {
    /// `count` occurrences of `value`.
    fn of(value: f64, count: f64) -> Self {
        Self { count, sum: value * count, min: value, max: value }
    }

    fn merge(self, other: Self) -> Self {
        Self {
            count: self.count + other.count,
            sum: self.sum + other.sum,
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }

    /// A statistic by the name GetMetricData's `Stat` and GetMetricStatistics' `Statistics`
    /// use; `None` for ones not computed here (percentiles and the like).
    fn statistic(&self, name: &str) -> Option<f64> {
        match name {
            "SampleCount" => Some(self.count),
            "Sum" => Some(self.sum),
            "Minimum" => Some(self.min),
            "Maximum" => Some(self.max),
            "Average" => Some(self.sum / self.count),
            _ => None,
        }
    }
}

/// One published datum of a metric.
#[derive(Debug, Clone)]
struct Sample {
    /// Milliseconds since the epoch.
    millis: i64,
    unit: Option<StandardUnit>,
    summary: Summary,
}

type Metrics = BTreeMap<MetricKey, Vec<Sample>>;

/// A local CloudWatch: every metric published to it, with its samples.
#[derive(Debug, Default)]
pub struct CloudWatchLocal {
    metrics: Mutex<Metrics>,
}

impl CloudWatchLocal {
    /// A service with no metrics.
    pub fn new() -> Self {
        Self::default()
    }

    fn metrics(&self) -> MutexGuard<'_, Metrics> {
        // Every change is one extend, after all checks: a panic cannot leave half a request.
        self.metrics.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn invalid_value(message: String) -> InvalidParameterValueException {
    InvalidParameterValueException::builder().message(message).build()
}

fn millis(time: &DateTime) -> i64 {
    time.to_millis().unwrap_or(if time.secs() < 0 { i64::MIN } else { i64::MAX })
}

fn now_millis() -> i64 {
    millis(&DateTime::from(std::time::SystemTime::now()))
}

/// The samples of one datum of PutMetricData, or the error the service answers for it.
fn samples(index: usize, datum: &MetricDatum, now: i64) -> Result<Vec<Sample>, PutMetricDataError> {
    let at = |member: &str| format!("MetricData.member.{}.{member}", index + 1);
    let millis = datum.timestamp.as_ref().map_or(now, millis);
    let sample = |summary| Sample { millis, unit: datum.unit.clone(), summary };
    let finite = |member: &str, value: f64| {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(PutMetricDataError::InvalidParameterValueException(invalid_value(format!(
                "The value {value} for parameter {} is invalid.",
                at(member)
            ))))
        }
    };
    match (datum.value, &datum.statistic_values, &datum.values) {
        (Some(value), None, None) => Ok(vec![sample(Summary::of(finite("Value", value)?, 1.0))]),
        (None, Some(set), None) => {
            let summary = Summary {
                count: finite("StatisticValues.SampleCount", set.sample_count)?,
                sum: finite("StatisticValues.Sum", set.sum)?,
                min: finite("StatisticValues.Minimum", set.minimum)?,
                max: finite("StatisticValues.Maximum", set.maximum)?,
            };
            if summary.count <= 0.0 || summary.min > summary.max {
                return Err(PutMetricDataError::InvalidParameterValueException(invalid_value(format!(
                    "The parameter {} is not a valid statistic set.",
                    at("StatisticValues")
                ))));
            }
            Ok(vec![sample(summary)])
        }
        (None, None, Some(values)) => {
            let counts = datum.counts.clone().unwrap_or_else(|| vec![1.0; values.len()]);
            if counts.len() != values.len() {
                return Err(PutMetricDataError::InvalidParameterValueException(invalid_value(format!(
                    "The parameters {} and {} must be of the same size.",
                    at("Values"),
                    at("Counts")
                ))));
            }
            let pairs = values.iter().zip(&counts).enumerate();
            pairs
                .map(|(i, (&value, &count))| {
                    let value = finite(&format!("Values.member.{}", i + 1), value)?;
                    Ok(sample(Summary::of(value, count)))
                })
                .collect()
        }
        (None, None, None) => Err(PutMetricDataError::MissingRequiredParameterException(
            MissingRequiredParameterException::builder()
                .message(format!(
                    "The parameter {} or {} or {} is required.",
                    at("Value"),
                    at("StatisticValues"),
                    at("Values")
                ))
                .build(),
        )),
        _ => Err(PutMetricDataError::InvalidParameterCombinationException(
            InvalidParameterCombinationException::builder()
                .message(format!(
                    "The parameters {}, {} and {} are mutually exclusive and you have specified more than one.",
                    at("Value"),
                    at("StatisticValues"),
                    at("Values")
                ))
                .build(),
        )),
    }
}

/// Whether `key` passes ListMetrics' filters: namespace, name, and for each dimension
/// filter a dimension of that name (with that value, when the filter has one).
fn listed(key: &MetricKey, input: &ListMetricsInput) -> bool {
    let filters = input.dimensions.as_deref().unwrap_or_default();
    input.namespace.as_ref().is_none_or(|namespace| *namespace == key.namespace)
        && input.metric_name.as_ref().is_none_or(|name| *name == key.name)
        && filters.iter().all(|filter| {
            key.dimensions
                .iter()
                .any(|(name, value)| *name == filter.name && filter.value.as_ref().is_none_or(|wanted| wanted == value))
        })
}

/// The summaries of the samples in `[start, end)` (with `unit`, when given) by period, keyed
/// by the start of each period that has any.
fn periods(samples: &[Sample], start: i64, end: i64, period: i64, unit: Option<&StandardUnit>) -> Periods {
    let mut periods = Periods::new();
    let chosen = samples.iter().filter(|sample| {
        (start..end).contains(&sample.millis) && unit.is_none_or(|unit| sample.unit.as_ref() == Some(unit))
    });
    for sample in chosen {
        let bucket = start + (sample.millis - start) / period * period;
        periods
            .entry(bucket)
            .and_modify(|(summary, _)| *summary = summary.merge(sample.summary))
            .or_insert((sample.summary, sample.unit.clone()));
    }
    periods
}

/// Summaries by the start of their period (milliseconds), with the unit of the first sample.
type Periods = BTreeMap<i64, (Summary, Option<StandardUnit>)>;

/// Checks a time range and period as GetMetricStatistics does; the range in milliseconds and
/// the period in milliseconds.
fn range(start: &DateTime, end: &DateTime, period: i32) -> Result<(i64, i64, i64), String> {
    let (start, end) = (millis(start), millis(end));
    if start >= end {
        return Err("The parameter StartTime must be less than the parameter EndTime.".to_owned());
    }
    // High-resolution periods, or any multiple of a minute.
    if !(matches!(period, 1 | 5 | 10 | 30) || (period > 0 && period % 60 == 0)) {
        return Err("The parameter Period must be 1, 5, 10, 30, or a multiple of 60.".to_owned());
    }
    Ok((start, end, i64::from(period) * 1000))
}

/// GetMetricData's answer to a query it cannot evaluate: the service's unmodeled
/// `ValidationError`.
fn validation_error(message: String) -> GetMetricDataError {
    GetMetricDataError::Unhandled(Unhandled::new("ValidationError", Some(message), 400))
}

/// One query of GetMetricData over `metrics`, its timestamps and values in `order`.
fn query_result(
    metrics: &Metrics,
    query: &MetricDataQuery,
    (start, end): (&DateTime, &DateTime),
    descending: bool,
) -> Result<MetricDataResult, GetMetricDataError> {
    let Some(stat) = &query.metric_stat else {
        return Err(validation_error(format!(
            "The query {} has no MetricStat; metric math expressions are not supported here.",
            query.id
        )));
    };
    let metric = &stat.metric;
    let (Some(namespace), Some(name)) = (&metric.namespace, &metric.metric_name) else {
        return Err(validation_error(format!("The metric of query {} needs a Namespace and a MetricName.", query.id)));
    };
    let key = MetricKey::new(namespace, name, metric.dimensions.as_deref().unwrap_or_default());
    let (start, end, period) = range(start, end, stat.period).map_err(validation_error)?;
    let samples = metrics.get(&key).map(Vec::as_slice).unwrap_or_default();
    let mut points: Vec<(i64, f64)> = Vec::new();
    for (bucket, (summary, _)) in periods(samples, start, end, period, stat.unit.as_ref()) {
        let value = summary.statistic(&stat.stat).ok_or_else(|| {
            validation_error(format!("The statistic {} of query {} is not supported here.", stat.stat, query.id))
        })?;
        points.push((bucket, value));
    }
    if descending {
        points.reverse();
    }
    Ok(MetricDataResult::builder()
        .id(query.id.clone())
        .label(query.label.clone().unwrap_or_else(|| name.clone()))
        .timestamps(points.iter().map(|(bucket, _)| DateTime::from_millis(*bucket)).collect())
        .values(points.iter().map(|(_, value)| *value).collect())
        .status_code(StatusCode::Complete)
        .build())
}

impl CloudWatch for CloudWatchLocal {
    async fn put_metric_data(&self, input: PutMetricDataInput) -> Result<PutMetricDataOutput, PutMetricDataError> {
        if input.namespace.starts_with("AWS/") {
            return Err(PutMetricDataError::InvalidParameterValueException(invalid_value(format!(
                "The value {} for parameter Namespace is invalid.",
                input.namespace
            ))));
        }
        let Some(data) = input.metric_data.as_deref().filter(|data| !data.is_empty()) else {
            return Err(PutMetricDataError::MissingRequiredParameterException(
                MissingRequiredParameterException::builder()
                    .message("The parameter MetricData is required.".to_owned())
                    .build(),
            ));
        };
        let now = now_millis();
        let mut published = Vec::with_capacity(data.len());
        for (index, datum) in data.iter().enumerate() {
            let key =
                MetricKey::new(&input.namespace, &datum.metric_name, datum.dimensions.as_deref().unwrap_or_default());
            published.push((key, samples(index, datum, now)?));
        }
        let mut metrics = self.metrics();
        for (key, samples) in published {
            metrics.entry(key).or_default().extend(samples);
        }
        Ok(PutMetricDataOutput::builder().build())
    }

    async fn list_metrics(&self, input: ListMetricsInput) -> Result<ListMetricsOutput, ListMetricsError> {
        if input.next_token.is_some() {
            // Every answer is one page, so no token this service gave can be sent back.
            return Err(ListMetricsError::InvalidParameterValueException(invalid_value(
                "The parameter NextToken is invalid.".to_owned(),
            )));
        }
        let metrics = self.metrics();
        let listed =
            metrics.keys().filter(|key| listed(key, &input)).map(MetricKey::metric).collect::<Result<Vec<_>, _>>()?;
        Ok(ListMetricsOutput::builder().metrics(listed).build())
    }

    async fn get_metric_statistics(
        &self,
        input: GetMetricStatisticsInput,
    ) -> Result<GetMetricStatisticsOutput, GetMetricStatisticsError> {
        let invalid = |message| GetMetricStatisticsError::InvalidParameterValueException(invalid_value(message));
        let statistics = input.statistics.clone().unwrap_or_default();
        if statistics.is_empty() {
            return Err(GetMetricStatisticsError::MissingRequiredParameterException(
                MissingRequiredParameterException::builder()
                    .message("The parameter Statistics or ExtendedStatistics is required.".to_owned())
                    .build(),
            ));
        }
        if let Some(unknown) = statistics.iter().find(|statistic| !statistic.is_known()) {
            return Err(invalid(format!("The value {} for parameter Statistics is invalid.", unknown.as_str())));
        }
        let (start, end, period) = range(&input.start_time, &input.end_time, input.period).map_err(invalid)?;
        let key = MetricKey::new(&input.namespace, &input.metric_name, input.dimensions.as_deref().unwrap_or_default());
        let metrics = self.metrics();
        let samples = metrics.get(&key).map(Vec::as_slice).unwrap_or_default();
        let datapoints = periods(samples, start, end, period, input.unit.as_ref())
            .into_iter()
            .map(|(bucket, (summary, unit))| datapoint(bucket, &summary, unit, &statistics))
            .collect();
        Ok(GetMetricStatisticsOutput::builder().label(input.metric_name).datapoints(datapoints).build())
    }

    async fn get_metric_data(&self, input: GetMetricDataInput) -> Result<GetMetricDataOutput, GetMetricDataError> {
        if input.next_token.is_some() {
            // Every answer is one page, so no token this service gave can be sent back.
            return Err(GetMetricDataError::InvalidNextToken(
                InvalidNextToken::builder().message("The service cannot recognize the NextToken.".to_owned()).build(),
            ));
        }
        let descending = !matches!(input.scan_by, Some(ScanBy::TimestampAscending));
        let metrics = self.metrics();
        let mut results = Vec::new();
        for query in &input.metric_data_queries {
            let result = query_result(&metrics, query, (&input.start_time, &input.end_time), descending)?;
            if query.return_data != Some(false) {
                results.push(result);
            }
        }
        Ok(GetMetricDataOutput::builder().metric_data_results(results).build())
    }
}

/// A datapoint of GetMetricStatistics: the period's start and the statistics asked for.
fn datapoint(bucket: i64, summary: &Summary, unit: Option<StandardUnit>, statistics: &[Statistic]) -> Datapoint {
    let wanted = |statistic: Statistic| statistics.contains(&statistic).then(|| summary.statistic(statistic.as_str()));
    Datapoint::builder()
        .timestamp(DateTime::from_millis(bucket))
        .set_sample_count(wanted(Statistic::SampleCount).flatten())
        .set_average(wanted(Statistic::Average).flatten())
        .set_sum(wanted(Statistic::Sum).flatten())
        .set_minimum(wanted(Statistic::Minimum).flatten())
        .set_maximum(wanted(Statistic::Maximum).flatten())
        .unit(unit.unwrap_or(StandardUnit::None))
        .build()
}
