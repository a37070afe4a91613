$version: "2.0"

// An IDL rendering of model/chime.json: the same shapes, traits and documentation,
// so that `cargo xtask codegen --model model/chime.smithy` writes the same crate.

namespace com.amazonaws.chime

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1

/// <p>Describes an Amazon Chime account. One AWS account may own several Amazon Chime accounts.</p>
structure Account {
    /// <p>ID of the AWS account that owns this Amazon Chime account.</p>
    @required
    AwsAccountId: String

    /// <p>Unique identifier of the Amazon Chime account.</p>
    @required
    AccountId: String

    /// <p>Display name of the Amazon Chime account.</p>
    @required
    Name: String

    /// <p>The kind of account, for example <code>Team</code> or <code>EnterpriseDirectory</code>. The <i>Amazon Chime Administration Guide</i> describes each kind under <a href="https://docs.aws.amazon.com/chime/latest/ag/manage-chime-account.html">Managing Your Amazon Chime Accounts</a>.</p>
    AccountType: AccountType

    /// <p>When the account was created, as an ISO 8601 date-time.</p>
    CreatedTimestamp: Iso8601Timestamp

    /// <p>License that users of the account get unless another one is chosen.</p>
    DefaultLicense: License

    /// <p>The license types that may be assigned within this account.</p>
    SupportedLicenses: LicenseList

    /// <p>Whether the account is active or suspended.</p>
    AccountStatus: AccountStatus

    /// <p>Active Directory groups whose members may sign in as delegates for this account.</p>
    SigninDelegateGroups: SigninDelegateGroupList
}

/// <p>Name of an Amazon Chime account: 1 to 100 characters, at least one of which is not whitespace.</p>
@length(min: 1, max: 100)
@pattern("\\S")
string AccountName

/// <p>Lifecycle state of an Amazon Chime account.</p>
enum AccountStatus {
    /// <p>The account has been suspended.</p>
    Suspended

    /// <p>The account is in normal use.</p>
    Active
}

/// <p>Category of an Amazon Chime account, which decides how its users are managed and sign in.</p>
enum AccountType {
    /// <p>A team account; the only kind <code>CreateAccount</code> can make.</p>
    Team

    /// <p>An enterprise account connected to a directory.</p>
    EnterpriseDirectory

    /// <p>An enterprise account using Login with Amazon.</p>
    EnterpriseLWA

    /// <p>An enterprise account using OpenID Connect.</p>
    EnterpriseOIDC
}

/// <p>Settings that connect an Amazon Chime user with Alexa for Business, for use on a device.</p>
structure AlexaForBusinessMetadata {
    /// <p>Set to <code>true</code> to switch Alexa for Business on, or <code>false</code> to switch it off.</p>
    IsAlexaForBusinessEnabled: Boolean

    /// <p>ARN of the Alexa for Business room resource. This value is <i>sensitive</i>.</p>
    AlexaForBusinessRoomArn: SensitiveString
}

/// <p>The request was rejected because one or more input values break the service's constraints.</p>
@error("client")
@httpError(400)
structure BadRequestException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>Changes the details of several users of one Amazon Chime account in a single call. Each entry is an <a href="https://docs.aws.amazon.com/chime/latest/APIReference/API_UpdateUserRequestItem.html">UpdateUserRequestItem</a>, and a call may contain at most <b>20</b> entries.</p><p>As with <code>UpdateUser</code>, only <code>LicenseType</code> can be changed for now. Users that could not be updated are listed in the response rather than failing the whole call.</p>
@http(method: "POST", uri: "/accounts/{AccountId}/users", code: 200)
operation BatchUpdateUser {
    input: BatchUpdateUserRequest
    output: BatchUpdateUserResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Input of the <code>BatchUpdateUser</code> operation.</p>
@input
structure BatchUpdateUserRequest {
    /// <p>ID of the Amazon Chime account whose users are changed.</p>
    @httpLabel
    @required
    AccountId: NonEmptyString

    /// <p>One entry per user to change (at most 20), each giving a user ID and the new values.</p>
    @required
    UpdateUserRequestItems: UpdateUserRequestItemList
}

/// <p>Output of the <code>BatchUpdateUser</code> operation.</p>
@output
structure BatchUpdateUserResponse {
    /// <p>Users that could not be updated, each with its user ID, an error code and an error message. The list is empty when every update succeeded.</p>
    UserErrors: UserErrorList
}

boolean Boolean

/// <p>Creates a new Amazon Chime account owned by the AWS account of the calling administrator. On success the service answers with HTTP status <code>201</code> and the new account.</p><p>At present this action can only create accounts of type <code>Team</code>. The account types are explained in <a href="https://docs.aws.amazon.com/chime/latest/ag/manage-chime-account.html">Managing Your Amazon Chime Accounts</a>.</p>
@http(method: "POST", uri: "/accounts", code: 201)
operation CreateAccount {
    input: CreateAccountRequest
    output: CreateAccountResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Input of the <code>CreateAccount</code> operation.</p>
@input
structure CreateAccountRequest {
    /// <p>Name to give the new Amazon Chime account.</p>
    @required
    Name: AccountName
}

/// <p>Output of the <code>CreateAccount</code> operation.</p>
@output
structure CreateAccountResponse {
    /// <p>Details of the account that was just created.</p>
    Account: Account
}

/// <p>An email address, treated as sensitive data.</p>
@pattern("^.+@.+\\..+$")
@sensitive
string EmailAddress

/// <p>Codes that say which kind of error occurred.</p>
enum ErrorCode {
    BadRequest
    Conflict
    Forbidden
    NotFound
    PreconditionFailed
    ResourceLimitExceeded
    ServiceFailure
    AccessDenied
    ServiceUnavailable
    Throttled
    Throttling
    Unauthorized
    Unprocessable
    VoiceConnectorGroupAssociationsExist
    PhoneNumberAssociationsExist
}

/// <p>The caller may not make this request, for example when trying to create an account from a Region that is not supported.</p>
@error("client")
@httpError(403)
structure ForbiddenException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>State of the invitation sent to a user.</p>
enum InviteStatus {
    /// <p>The invitation has not been answered yet.</p>
    Pending

    /// <p>The user accepted the invitation.</p>
    Accepted

    /// <p>The invitation could not be delivered or completed.</p>
    Failed
}

/// <p>A point in time, sent as an ISO 8601 <code>date-time</code> string.</p>
@timestampFormat("date-time")
timestamp Iso8601Timestamp

/// <p>License tiers that can be assigned to Amazon Chime users.</p>
enum License {
    /// <p>The Basic tier.</p>
    Basic

    /// <p>The Plus tier.</p>
    Plus

    /// <p>The Pro tier.</p>
    Pro

    /// <p>A trial of the Pro tier.</p>
    ProTrial
}

/// <p>A list of license types.</p>
list LicenseList {
    member: License
}

/// <p>A string that must contain at least one character that is not whitespace.</p>
@pattern("\\S")
string NonEmptyString

/// <p>At least one resource named in the request could not be found.</p>
@error("client")
@httpError(404)
structure NotFoundException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>Whether a user has registered with Amazon Chime.</p>
enum RegistrationStatus {
    /// <p>The user has not registered yet.</p>
    Unregistered

    /// <p>The user has registered.</p>
    Registered

    /// <p>The user is suspended.</p>
    Suspended
}

/// <p>A string that holds sensitive data and must not be logged.</p>
@sensitive
string SensitiveString

/// <p>An unexpected internal error occurred in the service.</p>
@error("server")
@httpError(500)
structure ServiceFailureException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>The service cannot handle requests right now; try again later.</p>
@error("server")
@httpError(503)
structure ServiceUnavailableException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>Names an Active Directory group; members of that group may sign in as delegates.</p>
structure SigninDelegateGroup {
    /// <p>Name of the Active Directory group.</p>
    GroupName: NonEmptyString
}

/// <p>A list of sign-in delegate groups.</p>
list SigninDelegateGroupList {
    member: SigninDelegateGroup
}

string String

/// <p>The caller sent too many requests and is being rate limited.</p>
@error("client")
@httpError(429)
structure ThrottledClientException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>The Amazon Chime administration API lets administrators automate management tasks, such as setting up Amazon Chime <b>accounts</b> and looking after the <b>users</b> that belong to them.</p><p>This model describes only a small part of the API: creating and renaming accounts and changing user licenses. Calls are signed with AWS Signature Version 4 using the signing name <code>chime</code>.</p><p><i>Note:</i> most of this namespace is deprecated; new applications should use the <a href="https://docs.aws.amazon.com/chime-sdk/latest/APIReference/welcome.html">Amazon Chime SDK APIs</a> instead.</p>
@service(
    sdkId: "Chime"
    arnNamespace: "chime"
    cloudFormationName: "Chime"
    cloudTrailEventSource: "chime.amazonaws.com"
    endpointPrefix: "chime"
)
@sigv4(name: "chime")
@restJson1
@title("Amazon Chime")
service UCBuzzConsoleService {
    version: "2018-05-01"
    operations: [
        BatchUpdateUser
        CreateAccount
        ListAccounts
        ListUsers
        UpdateAccount
        UpdateUser
    ]
}

/// <p>The caller is not authorized to make this request at this time.</p>
@error("client")
@httpError(401)
structure UnauthorizedClientException {
    /// <p>Machine-readable code for the error.</p>
    Code: ErrorCode

    /// <p>Human-readable description of the error.</p>
    Message: String
}

/// <p>Changes the settings of an existing Amazon Chime account. Only these fields can be changed at present:</p><ul><li>the account <code>Name</code></li><li>the <code>DefaultLicense</code> given to users added later</li></ul>
@http(method: "POST", uri: "/accounts/{AccountId}", code: 200)
operation UpdateAccount {
    input: UpdateAccountRequest
    output: UpdateAccountResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Input of the <code>UpdateAccount</code> operation.</p>
@input
structure UpdateAccountRequest {
    /// <p>ID of the Amazon Chime account to change.</p>
    @httpLabel
    @required
    AccountId: NonEmptyString

    /// <p>New name for the account. Leave it out to keep the current name.</p>
    Name: AccountName

    /// <p>License to give by default to users added to the account from now on.</p>
    DefaultLicense: License
}

/// <p>Output of the <code>UpdateAccount</code> operation.</p>
@output
structure UpdateAccountResponse {
    /// <p>The account as it is after the change.</p>
    Account: Account
}

/// <p>Changes the details of one user, identified by account ID and user ID.</p><p>For now, <code>LicenseType</code> is the only field this action can change.</p>
@http(method: "POST", uri: "/accounts/{AccountId}/users/{UserId}", code: 200)
operation UpdateUser {
    input: UpdateUserRequest
    output: UpdateUserResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Input of the <code>UpdateUser</code> operation.</p>
@input
structure UpdateUserRequest {
    /// <p>ID of the Amazon Chime account the user belongs to.</p>
    @httpLabel
    @required
    AccountId: NonEmptyString

    /// <p>ID of the user to change.</p>
    @httpLabel
    @required
    UserId: NonEmptyString

    /// <p>New license for the user; it has to be one the account supports.</p>
    LicenseType: License

    /// <p>New user type.</p>
    UserType: UserType

    /// <p>Alexa for Business settings for the user.</p>
    AlexaForBusinessMetadata: AlexaForBusinessMetadata
}

/// <p>The changes for one user inside a <code>BatchUpdateUser</code> request.</p>
structure UpdateUserRequestItem {
    /// <p>ID of the user to change.</p>
    @required
    UserId: NonEmptyString

    /// <p>New license for this user.</p>
    LicenseType: License

    /// <p>New type for this user.</p>
    UserType: UserType

    /// <p>Alexa for Business settings for this user.</p>
    AlexaForBusinessMetadata: AlexaForBusinessMetadata
}

/// <p>The per-user entries of a <code>BatchUpdateUser</code> request; at most 20.</p>
@length(min: 0, max: 20)
list UpdateUserRequestItemList {
    member: UpdateUserRequestItem
}

/// <p>Output of the <code>UpdateUser</code> operation.</p>
@output
structure UpdateUserResponse {
    /// <p>The user as it is after the change.</p>
    User: User
}

/// <p>Describes a user that belongs to an Amazon Chime account.</p>
structure User {
    /// <p>Unique identifier of the user.</p>
    @required
    UserId: String

    /// <p>ID of the Amazon Chime account the user belongs to.</p>
    AccountId: String

    /// <p>The main email address of the user.</p>
    PrimaryEmail: EmailAddress

    /// <p>The main phone number assigned to the user.</p>
    PrimaryProvisionedNumber: SensitiveString

    /// <p>Name shown for the user.</p>
    DisplayName: SensitiveString

    /// <p>License currently assigned to the user.</p>
    LicenseType: License

    /// <p>Whether this is a private user or a shared device.</p>
    UserType: UserType

    /// <p>Whether the user has registered.</p>
    UserRegistrationStatus: RegistrationStatus

    /// <p>State of the invitation sent to the user.</p>
    UserInvitationStatus: InviteStatus

    /// <p>When the user registered, as an ISO 8601 date-time.</p>
    RegisteredOn: Iso8601Timestamp

    /// <p>When the user was invited to the account, as an ISO 8601 date-time.</p>
    InvitedOn: Iso8601Timestamp

    /// <p>Alexa for Business settings of the user.</p>
    AlexaForBusinessMetadata: AlexaForBusinessMetadata

    /// <p>PIN the user has for personal meetings.</p>
    PersonalPIN: String
}

/// <p>Explains why one user in a batch request, such as <code>BatchUpdateUser</code>, could not be processed.</p>
structure UserError {
    /// <p>ID of the user the failure is about.</p>
    UserId: NonEmptyString

    /// <p>Code describing the failure.</p>
    ErrorCode: ErrorCode

    /// <p>Text describing the failure.</p>
    ErrorMessage: String
}

/// <p>A list of per-user errors.</p>
list UserErrorList {
    member: UserError
}

/// <p>The kind of user.</p>
enum UserType {
    /// <p>An ordinary user belonging to one person.</p>
    PrivateUser

    /// <p>A user that stands for a device shared by several people.</p>
    SharedDevice
}

/// <p>A list of accounts.</p>
list AccountList {
    member: Account
}

/// <p>Lists the Amazon Chime accounts of the caller's AWS account, a page at a time, optionally only those with a given name or with a given user.</p>
@http(method: "GET", uri: "/accounts", code: 200)
@paginated(inputToken: "NextToken", outputToken: "NextToken", pageSize: "MaxResults")
operation ListAccounts {
    input: ListAccountsRequest
    output: ListAccountsResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Which accounts to list, and which page of them.</p>
@input
structure ListAccountsRequest {
    /// <p>Only accounts whose name starts with this.</p>
    @httpQuery("name")
    Name: AccountName

    /// <p>Only the account that has a user with this email address.</p>
    @httpQuery("user-email")
    UserEmail: EmailAddress

    /// <p>The token a previous page ended with; absent for the first page.</p>
    @httpQuery("next-token")
    NextToken: String

    /// <p>At most this many accounts in the page (1 to 200).</p>
    @httpQuery("max-results")
    MaxResults: ProfileServiceMaxResults
}

/// <p>A page of accounts.</p>
@output
structure ListAccountsResponse {
    /// <p>The accounts of this page.</p>
    Accounts: AccountList

    /// <p>Where the next page starts; absent on the last page.</p>
    NextToken: String
}

/// <p>Lists the users of an Amazon Chime account, a page at a time, optionally only those with a given email address or user type.</p>
@http(method: "GET", uri: "/accounts/{AccountId}/users", code: 200)
@paginated(inputToken: "NextToken", outputToken: "NextToken", pageSize: "MaxResults")
operation ListUsers {
    input: ListUsersRequest
    output: ListUsersResponse
    errors: [
        BadRequestException
        ForbiddenException
        NotFoundException
        ServiceFailureException
        ServiceUnavailableException
        ThrottledClientException
        UnauthorizedClientException
    ]
}

/// <p>Whose users to list, which of them, and which page.</p>
@input
structure ListUsersRequest {
    /// <p>The Amazon Chime account whose users are listed.</p>
    @httpLabel
    @required
    AccountId: NonEmptyString

    /// <p>Only the user with this email address.</p>
    @httpQuery("user-email")
    UserEmail: EmailAddress

    /// <p>Only users of this type.</p>
    @httpQuery("user-type")
    UserType: UserType

    /// <p>At most this many users in the page (1 to 200).</p>
    @httpQuery("max-results")
    MaxResults: ProfileServiceMaxResults

    /// <p>The token a previous page ended with; absent for the first page.</p>
    @httpQuery("next-token")
    NextToken: String
}

/// <p>A page of users.</p>
@output
structure ListUsersResponse {
    /// <p>The users of this page.</p>
    Users: UserList

    /// <p>Where the next page starts; absent on the last page.</p>
    NextToken: String
}

@range(min: 1, max: 200)
integer ProfileServiceMaxResults

/// <p>A list of users.</p>
list UserList {
    member: User
}
