//! Data subscriptions: CreateSubscribe, DescribeSubscribes, DescribeSubscribeConf,
//! ActivateSubscribe, ModifySubscribeObjects, ModifySubscribeName, ModifySubscribeConsumeTime,
//! ModifySubscribeVipVport, ModifySubscribeAutoRenewFlag, ResetSubscribe, IsolateSubscribe,
//! OfflineIsolatedSubscribe and DescribeAsyncRequestInfo.
//!
//! Subscriptions change only on calls: configuring (ActivateSubscribe, ModifySubscribeObjects)
//! takes effect at once and its asynchronous task reports `success` from the start.

use std::cmp::Ordering;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use super::params::{
    Page, Params, ZERO_TIME, answer, datetime_or_zero, descending, directed, done, get, missing,
    opt_i64, opt_str, opt_str_list, parse_cloud_datetime, req_i64, req_str, tags_match, tags_param,
    without_nulls,
};
use super::{Context, Space};
use crate::backend::{Answer, ApiError, cloud_datetime};

/// No subscription (or task) with the given id exists in the caller's account and region.
const NOT_FOUND: &str = "ResourceNotFound";
/// The subscription's state does not allow the change.
const CONFLICT: &str = "FailedOperation.StatusInConflict";
/// A malformed or out-of-range parameter.
const INVALID: &str = "InvalidParameter";
/// A value the service does not accept (names, list filters and pages).
const INVALID_VALUE: &str = "InvalidParameterValue.InvalidParameterValueError";
/// ActivateSubscribe on an instance that cannot be configured now.
const DENIED: &str = "OperationDenied";
/// IsolateSubscribe on an instance that cannot be isolated.
const UNSUPPORTED: &str = "UnsupportedOperation";

/// The edition this API version creates: the legacy one.
const VERSION: &str = "txdts";
/// The port of a subscription channel unless ActivateSubscribe says otherwise.
const DEFAULT_VPORT: i64 = 7507;
/// Seconds in a month of a prepaid purchase (the emulator counts 30 days).
const MONTH: u64 = 30 * 86_400;
/// Characters of channel ids, as in `dts-channel-C9rS58f2rFx11ZEZ`.
const MIXED_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The lifecycle `Status` of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lifecycle {
    /// `normal`: in service.
    Normal,
    /// `isolated`: out of service, not billed; can be taken offline.
    Isolated,
    /// `offline`: gone for good; still listed, refuses every change.
    Offline,
}

impl Lifecycle {
    /// The value answers carry.
    fn wire(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Isolated => "isolated",
            Self::Offline => "offline",
        }
    }
}

/// What a configured instance is bound to.
#[derive(Debug, Clone)]
struct Binding {
    /// The subscribed database instance.
    instance_id: String,
    /// `ChannelId`, made when the instance was configured.
    channel_id: String,
    /// `SubscribeObjectType`.
    object_type: i64,
    /// `SubscribeObjects`: none when the whole instance is subscribed.
    objects: Vec<Value>,
    /// `Vip`, the channel's address.
    vip: String,
    /// `Vport`, the channel's port.
    vport: i64,
    /// `UniqVpcId`.
    vpc: String,
    /// `UniqSubnetId`.
    subnet: String,
    /// Set with ModifySubscribeConsumeTime.
    consume_start: Option<String>,
}

/// A subscription instance.
#[derive(Debug, Clone)]
pub(super) struct Subscription {
    /// `SubscribeId`.
    id: String,
    /// Creation order within the account and region.
    seq: u64,
    /// `SubscribeName`.
    name: String,
    /// `Product`: always `mysql`.
    product: String,
    /// `PayType`: 0 prepaid, 1 pay-as-you-go.
    pay_type: i64,
    /// `AutoRenewFlag`: always 0 for pay-as-you-go instances.
    auto_renew: i64,
    /// `Tags`, as given.
    tags: Vec<Value>,
    /// `Region`.
    region: String,
    /// When the instance was created (Unix seconds).
    created: u64,
    /// When it was last changed.
    modified: u64,
    /// When a prepaid instance expires.
    expires: Option<u64>,
    /// When it was isolated, if it was.
    isolated_at: Option<u64>,
    /// When it was taken offline, if it was.
    offline_at: Option<u64>,
    /// `Status`.
    lifecycle: Lifecycle,
    /// `None` while not configured (`SubsStatus` `unconfigure`).
    binding: Option<Binding>,
}

/// An asynchronous task started by ActivateSubscribe or ModifySubscribeObjects.
#[derive(Debug, Clone)]
pub(super) struct AsyncTask {
    /// The result message DescribeAsyncRequestInfo reports.
    info: String,
}

impl Subscription {
    /// `SubsStatus`: configured or not.
    fn subs_status(&self) -> &'static str {
        if self.binding.is_some() {
            "configured"
        } else {
            "unconfigure"
        }
    }

    /// The members DescribeSubscribes and DescribeSubscribeConf share.
    fn common(&self) -> Value {
        let binding = self.binding.as_ref();
        let text = |read: fn(&Binding) -> &str| binding.map_or("", read).to_owned();
        json!({
            "SubscribeId": self.id,
            "SubscribeName": self.name,
            "ChannelId": text(|b| &b.channel_id),
            "Product": self.product,
            "InstanceId": text(|b| &b.instance_id),
            "InstanceStatus": if binding.is_some() { "running" } else { "" },
            "SubsStatus": self.subs_status(),
            "Status": self.lifecycle.wire(),
            "CreateTime": cloud_datetime(self.created),
            "ModifyTime": cloud_datetime(self.modified),
            "IsolateTime": datetime_or_zero(self.isolated_at),
            "ExpireTime": datetime_or_zero(self.expires),
            "OfflineTime": datetime_or_zero(self.offline_at),
            "ConsumeStartTime": binding
                .and_then(|b| b.consume_start.clone())
                .unwrap_or_else(|| ZERO_TIME.to_owned()),
            "AutoRenewFlag": self.auto_renew,
            "Region": self.region,
            "PayType": self.pay_type,
            "Vip": text(|b| &b.vip),
            "Vport": binding.map_or(0, |b| b.vport),
            "UniqVpcId": text(|b| &b.vpc),
            "UniqSubnetId": text(|b| &b.subnet),
            "SdkConsumedTime": ZERO_TIME,
            "Tags": self.tags,
            "SubscribeVersion": VERSION,
        })
    }

    /// The answer of DescribeSubscribeConf.
    fn conf(&self) -> Value {
        let mut conf = self.common();
        let binding = self.binding.as_ref();
        conf["SdkHost"] = "".into();
        conf["SubscribeObjectType"] = binding.map_or(0, |b| b.object_type).into();
        conf["SubscribeObjects"] = binding.map_or_else(Vec::new, |b| b.objects.clone()).into();
        conf["Errors"] = json!([]);
        conf
    }

    /// Whether the instance passes DescribeSubscribes' filters.
    fn matches(&self, params: &Params) -> bool {
        let bound = |read: fn(&Binding) -> &str| self.binding.as_ref().map_or("", read);
        opt_str(params, "SubscribeId").is_none_or(|id| id == self.id)
            && opt_str(params, "SubscribeName").is_none_or(|name| self.name.contains(name))
            && opt_str(params, "InstanceId").is_none_or(|id| id == bound(|b| &b.instance_id))
            && opt_str(params, "ChannelId").is_none_or(|id| id == bound(|b| &b.channel_id))
            && opt_str(params, "PayType").is_none_or(|pay| pay == self.pay_type.to_string())
            && opt_str(params, "Product")
                .is_none_or(|product| product.eq_ignore_ascii_case(&self.product))
            && opt_str(params, "SubscribeVersion").is_none_or(|version| version == VERSION)
            && opt_str_list(params, "Status")
                .is_none_or(|wanted| wanted.contains(&self.lifecycle.wire()))
            && opt_str_list(params, "SubsStatus")
                .is_none_or(|wanted| wanted.contains(&self.subs_status()))
            && tags_match(&self.tags, params)
    }

    /// The binding of a configured instance in service, or `code` when it is not in service
    /// or not configured.
    fn configured_binding(&mut self, code: &str) -> Result<&mut Binding, ApiError> {
        if self.lifecycle != Lifecycle::Normal {
            return Err(self.not_in_service(code));
        }
        let id = self.id.clone();
        self.binding.as_mut().ok_or_else(|| {
            ApiError::new(
                code,
                format!(
                    "Subscription {id} is not configured yet; configure it with \
                     ActivateSubscribe first."
                ),
            )
        })
    }

    /// The error for a change to an isolated or offline instance.
    fn not_in_service(&self, code: &str) -> ApiError {
        ApiError::new(
            code,
            format!(
                "Subscription {} is {} (`Status` `{}`), so it cannot be changed.",
                self.id,
                match self.lifecycle {
                    Lifecycle::Normal => "in service",
                    Lifecycle::Isolated => "isolated",
                    Lifecycle::Offline => "offline",
                },
                self.lifecycle.wire()
            ),
        )
    }
}

/// The instance named by `SubscribeId`.
fn subscription_mut<'s>(
    space: &'s mut Space,
    cx: &Context<'_, '_>,
) -> Result<&'s mut Subscription, ApiError> {
    let id = req_str(cx.call.params, "SubscribeId")?;
    space
        .subscriptions
        .iter_mut()
        .find(|subscription| subscription.id == id)
        .ok_or_else(|| {
            ApiError::new(
                NOT_FOUND,
                format!("No subscription instance has the id `{id}` in this account and region."),
            )
        })
}

/// Records a finished asynchronous task and answers its id.
fn finished_task(space: &mut Space, cx: &mut Context<'_, '_>, info: &str) -> Answer {
    let id = cx.ids.uuid();
    space.tasks.insert(
        id.clone(),
        AsyncTask {
            info: info.to_owned(),
        },
    );
    answer(json!({ "AsyncRequestId": id }))
}

/// An integer member that must be one of `allowed` (checked with [`INVALID`]).
fn one_of(value: i64, name: &str, allowed: &[i64]) -> Result<i64, ApiError> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        let allowed: Vec<String> = allowed.iter().map(i64::to_string).collect();
        Err(ApiError::new(
            INVALID,
            format!(
                "`{name}` must be one of {}, not {value}.",
                allowed.join(", ")
            ),
        ))
    }
}

/// A channel port from 1025 to 65535.
fn port(value: i64, name: &str) -> Result<i64, ApiError> {
    if (1025..=65_535).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::new(
            INVALID,
            format!("`{name}` must be a port from 1025 to 65535, not {value}."),
        ))
    }
}

/// CreateSubscribe: `Count` new unconfigured instances.
pub(super) fn create(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let product = req_str(params, "Product")?;
    if !product.eq_ignore_ascii_case("mysql") {
        return Err(ApiError::new(
            INVALID,
            format!("Only `mysql` can be subscribed to, not `{product}`."),
        ));
    }
    let pay_type = one_of(req_i64(params, "PayType")?, "PayType", &[0, 1])?;
    let months = match (pay_type, opt_i64(params, "Duration")) {
        (0, None) => return Err(missing("Duration")),
        (0, Some(months)) if !(1..=120).contains(&months) => {
            return Err(ApiError::new(
                INVALID,
                format!("`Duration` must be from 1 to 120 months, not {months}."),
            ));
        }
        (_, months) => months.and_then(|months| u64::try_from(months).ok()),
    };
    let count = opt_i64(params, "Count").unwrap_or(1);
    if !(1..=10).contains(&count) {
        return Err(ApiError::new(
            INVALID,
            format!("`Count` must be from 1 to 10, not {count}."),
        ));
    }
    let auto_renew = one_of(
        opt_i64(params, "AutoRenew").unwrap_or(0),
        "AutoRenew",
        &[0, 1],
    )?;
    let now = cx.call.unix_time;
    let mut ids = Vec::new();
    for _ in 0..count {
        let id = cx.ids.short("subs-");
        let subscription = Subscription {
            name: opt_str(params, "Name").map_or_else(|| id.clone(), str::to_owned),
            id: id.clone(),
            seq: space.seq(),
            product: "mysql".to_owned(),
            pay_type,
            auto_renew: if pay_type == 0 { auto_renew } else { 0 },
            tags: tags_param(params),
            region: cx.call.region.to_owned(),
            created: now,
            modified: now,
            expires: months
                .filter(|_| pay_type == 0)
                .map(|months| now.saturating_add(months.saturating_mul(MONTH))),
            isolated_at: None,
            offline_at: None,
            lifecycle: Lifecycle::Normal,
            binding: None,
        };
        space.subscriptions.push(subscription);
        ids.push(id);
    }
    Ok(answer(json!({ "SubscribeIds": ids })))
}

/// DescribeSubscribes: the instances that pass the filters, by creation time, paged.
pub(super) fn describe(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let descending = descending(params, "OrderDirection", INVALID_VALUE)?;
    let page = Page::read(params, INVALID_VALUE)?;
    let mut matches: Vec<&Subscription> = space
        .subscriptions
        .iter()
        .filter(|subscription| subscription.matches(params))
        .collect();
    matches.sort_by(|a, b| {
        let order: Ordering = a.created.cmp(&b.created).then(a.seq.cmp(&b.seq));
        directed(order, descending)
    });
    let total = matches.len();
    let items: Vec<Value> = page
        .apply(matches)
        .into_iter()
        .map(Subscription::common)
        .collect();
    Ok(answer(json!({ "TotalCount": total, "Items": items })))
}

/// DescribeSubscribeConf: one instance in full.
pub(super) fn describe_conf(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let subscription = subscription_mut(space, cx)?;
    Ok(answer(subscription.conf()))
}

/// ActivateSubscribe: binds an unconfigured instance in service to a database instance.
pub(super) fn activate(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let instance_id = req_str(params, "InstanceId")?;
    if instance_id.trim().is_empty() {
        return Err(ApiError::new(
            "InvalidParameter.InstanceNotFound",
            "`InstanceId` must name the database instance to subscribe to.",
        ));
    }
    let object_type = subscribe_object_type(params)?;
    let objects = match (object_type, get(params, "Objects")) {
        (0, _) => Vec::new(),
        (_, Some(object)) => vec![without_nulls(object)],
        (_, None) => return Err(missing("Objects")),
    };
    let vport = port(opt_i64(params, "Vport").unwrap_or(DEFAULT_VPORT), "Vport")?;
    let subscription = subscription_mut(space, cx)?;
    if subscription.lifecycle != Lifecycle::Normal {
        return Err(subscription.not_in_service(DENIED));
    }
    if subscription.binding.is_some() {
        return Err(ApiError::new(
            DENIED,
            format!(
                "Subscription {} is already configured; reset it with ResetSubscribe before \
                 configuring it again.",
                subscription.id
            ),
        ));
    }
    let binding = Binding {
        instance_id: instance_id.to_owned(),
        channel_id: cx.ids.fresh("dts-channel-", 16, MIXED_ALPHANUMERIC),
        object_type,
        objects,
        vip: format!(
            "10.{}.{}.{}",
            fastrand::u8(..),
            fastrand::u8(..),
            fastrand::u8(1..255)
        ),
        vport,
        vpc: cx.ids.short("vpc-"),
        subnet: match opt_str(params, "UniqSubnetId") {
            Some(subnet) => subnet.to_owned(),
            None => cx.ids.short("subnet-"),
        },
        consume_start: None,
    };
    subscription.binding = Some(binding);
    subscription.modified = cx.call.unix_time;
    Ok(finished_task(space, cx, "ok"))
}

/// `SubscribeObjectType`, from 0 to 3.
fn subscribe_object_type(params: &Params) -> Result<i64, ApiError> {
    let value = req_i64(params, "SubscribeObjectType")?;
    one_of(value, "SubscribeObjectType", &[0, 1, 2, 3])
}

/// ModifySubscribeObjects: changes what a configured instance carries.
pub(super) fn modify_objects(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let object_type = subscribe_object_type(params)?;
    let objects = match (
        object_type,
        get(params, "Objects").and_then(Value::as_array),
    ) {
        (0, _) => Vec::new(),
        (_, Some(objects)) if !objects.is_empty() => objects.iter().map(without_nulls).collect(),
        (_, _) => return Err(missing("Objects")),
    };
    let now = cx.call.unix_time;
    let subscription = subscription_mut(space, cx)?;
    let binding = subscription.configured_binding(CONFLICT)?;
    binding.object_type = object_type;
    binding.objects = objects;
    subscription.modified = now;
    Ok(finished_task(space, cx, "ok"))
}

/// ModifySubscribeName: renames an instance (1 to 60 characters).
pub(super) fn modify_name(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let name = req_str(cx.call.params, "SubscribeName")?;
    let length = name.chars().count();
    if !(1..=60).contains(&length) {
        return Err(ApiError::new(
            INVALID_VALUE,
            format!("`SubscribeName` must have 1 to 60 characters, not {length}."),
        ));
    }
    let subscription = subscription_mut(space, cx)?;
    if subscription.lifecycle == Lifecycle::Offline {
        return Err(subscription.not_in_service(INVALID));
    }
    subscription.name = name.to_owned();
    subscription.modified = cx.call.unix_time;
    done()
}

/// ModifySubscribeConsumeTime: moves the consumption start point of a configured instance to
/// a moment within the last 24 hours.
pub(super) fn modify_consume_time(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let text = req_str(cx.call.params, "ConsumeStartTime")?;
    let now = cx.call.unix_time;
    let Some(at) = parse_cloud_datetime(text) else {
        return Err(ApiError::new(
            INVALID,
            format!("`ConsumeStartTime` must be written `YYYY-MM-DD hh:mm:ss`, not `{text}`."),
        ));
    };
    if at > now || now - at > 86_400 {
        return Err(ApiError::new(
            INVALID,
            format!(
                "`ConsumeStartTime` must lie within the last 24 hours (from {} to {}), not {text}.",
                cloud_datetime(now.saturating_sub(86_400)),
                cloud_datetime(now)
            ),
        ));
    }
    let subscription = subscription_mut(space, cx)?;
    let binding = subscription.configured_binding(CONFLICT)?;
    binding.consume_start = Some(text.to_owned());
    subscription.modified = now;
    done()
}

/// ModifySubscribeVipVport: moves the channel of a configured instance to a new address, port
/// or both.
pub(super) fn modify_vip_vport(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let ip = opt_str(params, "DstIp");
    let new_port = opt_i64(params, "DstPort")
        .map(|value| port(value, "DstPort"))
        .transpose()?;
    if ip.is_none() && new_port.is_none() {
        return Err(ApiError::new(INVALID, "Give `DstIp`, `DstPort` or both."));
    }
    if let Some(ip) = ip.filter(|ip| ip.parse::<Ipv4Addr>().is_err()) {
        return Err(ApiError::new(
            INVALID,
            format!("`DstIp` must be an IPv4 address, not `{ip}`."),
        ));
    }
    let subnet = opt_str(params, "DstUniqSubnetId");
    if subnet.is_some() && ip.is_none() {
        return Err(missing("DstIp"));
    }
    let now = cx.call.unix_time;
    let subscription = subscription_mut(space, cx)?;
    let binding = subscription.configured_binding(CONFLICT)?;
    if let Some(ip) = ip {
        binding.vip = ip.to_owned();
    }
    if let Some(new_port) = new_port {
        binding.vport = new_port;
    }
    if let Some(subnet) = subnet {
        binding.subnet = subnet.to_owned();
    }
    subscription.modified = now;
    done()
}

/// ModifySubscribeAutoRenewFlag: sets whether a prepaid instance renews; accepted but without
/// effect for a pay-as-you-go one.
pub(super) fn modify_auto_renew(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let flag = one_of(
        req_i64(cx.call.params, "AutoRenewFlag")?,
        "AutoRenewFlag",
        &[0, 1],
    )?;
    let subscription = subscription_mut(space, cx)?;
    if subscription.lifecycle == Lifecycle::Offline {
        return Err(subscription.not_in_service(INVALID));
    }
    if subscription.pay_type == 0 {
        subscription.auto_renew = flag;
        subscription.modified = cx.call.unix_time;
    }
    done()
}

/// ResetSubscribe: unbinds an instance in service, which is then unconfigured again.
pub(super) fn reset(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let subscription = subscription_mut(space, cx)?;
    if subscription.lifecycle != Lifecycle::Normal {
        return Err(subscription.not_in_service(CONFLICT));
    }
    subscription.binding = None;
    subscription.modified = cx.call.unix_time;
    done()
}

/// IsolateSubscribe: takes a pay-as-you-go instance in service out of service.
pub(super) fn isolate(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let subscription = subscription_mut(space, cx)?;
    if subscription.pay_type == 0 {
        return Err(ApiError::new(
            UNSUPPORTED,
            format!(
                "Subscription {} is prepaid; only pay-as-you-go instances can be isolated.",
                subscription.id
            ),
        ));
    }
    if subscription.lifecycle != Lifecycle::Normal {
        return Err(subscription.not_in_service(UNSUPPORTED));
    }
    subscription.lifecycle = Lifecycle::Isolated;
    subscription.isolated_at = Some(cx.call.unix_time);
    subscription.modified = cx.call.unix_time;
    done()
}

/// OfflineIsolatedSubscribe: takes an isolated instance offline for good.
pub(super) fn offline(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let subscription = subscription_mut(space, cx)?;
    if subscription.lifecycle != Lifecycle::Isolated {
        return Err(ApiError::new(
            CONFLICT,
            format!(
                "Subscription {} is `{}`; only an isolated instance can be taken offline \
                 (isolate it with IsolateSubscribe first).",
                subscription.id,
                subscription.lifecycle.wire()
            ),
        ));
    }
    subscription.lifecycle = Lifecycle::Offline;
    subscription.offline_at = Some(cx.call.unix_time);
    subscription.modified = cx.call.unix_time;
    done()
}

/// DescribeAsyncRequestInfo: the result of a task of this account and region.
pub(super) fn describe_async(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let id = req_str(cx.call.params, "AsyncRequestId")?;
    let task = space.tasks.get(id).ok_or_else(|| {
        ApiError::new(
            NOT_FOUND,
            format!("No asynchronous task has the id `{id}` in this account and region."),
        )
    })?;
    Ok(answer(json!({ "Status": "success", "Info": task.info })))
}
