from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from shopify_app.storage.models.shops import default_portal_actions
from shopify_app.storage.sealed import SealedTextField
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='ChangeSignal',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('value', fields.BigIntField(default=0)),
            ],
            options={'table': 'change_signals', 'app': 'models', 'pk_attr': 'name', 'table_description': 'A counter bumped in the same transaction as a change every process must see at once'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OAuthState',
            fields=[
                ('nonce', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('shop_domain', fields.CharField(max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'oauth_states', 'app': 'models', 'pk_attr': 'nonce', 'table_description': 'A `state` nonce handed to Shopify at install, spent once on the callback.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Shop',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('domain', fields.CharField(unique=True, max_length=255)),
                ('shopify_id', fields.BigIntField(null=True)),
                ('primary_domain', fields.CharField(null=True, max_length=255)),
                ('name', fields.CharField(default='', max_length=255)),
                ('timezone', fields.CharField(default='UTC', max_length=64)),
                ('currency', fields.CharField(default='USD', max_length=8)),
                ('scopes', fields.TextField(default='', unique=False)),
                ('installed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('uninstalled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('proxy_prefix', fields.CharField(default='tools', max_length=32)),
                ('proxy_subpath', fields.CharField(default='recurring', max_length=255)),
                ('access_token', SealedTextField(null=True, unique=False)),
                ('access_token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refresh_token', SealedTextField(null=True, unique=False)),
                ('refresh_token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refresh_lease_owner', fields.CharField(null=True, max_length=64)),
                ('refresh_lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('link_policy', fields.CharField(default='single_use', max_length=16)),
                ('portal_format', fields.CharField(default='liquid', max_length=16)),
                ('portal_actions', fields.JSONField(default=default_portal_actions, encoder=JSON_DUMPS, decoder=loads)),
                ('allowed_frequencies', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('mint_rate_limit', fields.IntField(default=120)),
                ('default_locale', fields.CharField(default='en', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'shops', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One installed (or once installed) store and its offline credentials.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='api_keys', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('prefix', fields.CharField(max_length=32)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_keys', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An external API key of a merchant. Only its SHA-256 hash is stored.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Customer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.BigIntField()),
                ('email', fields.CharField(null=True, max_length=320)),
                ('first_name', fields.CharField(default='', max_length=255)),
                ('last_name', fields.CharField(default='', max_length=255)),
                ('active_subscriptions', fields.IntField(default=0)),
                ('inactive_subscriptions', fields.IntField(default=0)),
                ('next_order_date', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('lifetime_value', fields.DecimalField(null=True, max_digits=20, decimal_places=4)),
                ('currency', fields.CharField(null=True, max_length=8)),
                ('links_valid_after', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'customers', 'app': 'models', 'unique_together': (('shop', 'customer_id'),), 'indexes': [Index(fields=['shop_id', 'email'])], 'pk_attr': 'id', 'table_description': 'What we know locally of a subscribing customer: enough to mint without Shopify.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LinkStat',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='link_stats', on_delete=OnDelete.CASCADE)),
                ('api_key_id', fields.IntField(default=0)),
                ('source', fields.CharField(default='', max_length=64)),
                ('day', fields.DateField()),
                ('mints', fields.IntField(default=0)),
                ('redemptions', fields.IntField(default=0)),
            ],
            options={'table': 'link_stats', 'app': 'models', 'unique_together': (('shop', 'api_key_id', 'source', 'day'),), 'pk_attr': 'id', 'table_description': 'Mints and redemptions per shop, key, source and day: which flows drive portal visits.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PortalEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='portal_events', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.BigIntField()),
                ('contract_id', fields.BigIntField(null=True)),
                ('action', fields.CharField(max_length=64)),
                ('detail', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'portal_events', 'app': 'models', 'indexes': [Index(fields=['shop_id', 'customer_id'])], 'pk_attr': 'id', 'table_description': 'A self-service action of a customer, e.g. a cancellation with its reason for the merchant.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PortalRedemption',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='redemptions', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.BigIntField()),
                ('jti', fields.CharField(null=True, max_length=64)),
                ('source', fields.CharField(default='', max_length=64)),
                ('api_key_id', fields.IntField(default=0)),
                ('client_hash', fields.CharField(default='', max_length=64)),
                ('user_agent', fields.CharField(default='', max_length=512)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'portal_redemptions', 'app': 'models', 'indexes': [Index(fields=['shop_id', 'customer_id'])], 'pk_attr': 'id', 'table_description': 'Audit of a link (or a logged-in visit) turning into a portal session.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RateLimitWindow',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('api_key', fields.ForeignKeyField('models.ApiKey', source_field='api_key_id', db_constraint=True, to_field='id', related_name='windows', on_delete=OnDelete.CASCADE)),
                ('window_start', fields.BigIntField()),
                ('count', fields.IntField(default=0)),
            ],
            options={'table': 'rate_limit_windows', 'app': 'models', 'unique_together': (('api_key', 'window_start'),), 'pk_attr': 'id', 'table_description': 'A fixed one-minute window counter per key, shared by every worker via the database.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RedactedCustomer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='redacted_customers', on_delete=OnDelete.CASCADE)),
                ('subject', fields.CharField(max_length=64)),
                ('redacted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'redacted_customers', 'app': 'models', 'unique_together': (('shop', 'subject'),), 'pk_attr': 'id', 'table_description': 'A customer Shopify asked us to forget (`customers/redact`): their links and sessions'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SpentToken',
            fields=[
                ('jti', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='spent_tokens', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.BigIntField()),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('spent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'spent_tokens', 'app': 'models', 'pk_attr': 'jti', 'table_description': 'The `jti` of a single-use link, inserted once: its key makes exactly one redeemer win.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SubscriptionContract',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shop', fields.ForeignKeyField('models.Shop', source_field='shop_id', db_constraint=True, to_field='id', related_name='subscription_contracts', on_delete=OnDelete.CASCADE)),
                ('contract_id', fields.BigIntField()),
                ('customer_id', fields.BigIntField()),
                ('status', fields.CharField(max_length=16)),
                ('next_billing_date', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('currency', fields.CharField(default='', max_length=8)),
                ('updated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revision_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'subscription_contracts', 'app': 'models', 'unique_together': (('shop', 'contract_id'),), 'indexes': [Index(fields=['shop_id', 'customer_id'])], 'pk_attr': 'id', 'table_description': 'Local mirror of a subscription contract, filled by sync and by webhooks.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('webhook_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=128)),
                ('shop_domain', fields.CharField(max_length=255)),
                ('topic', fields.CharField(max_length=128)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_deliveries', 'app': 'models', 'pk_attr': 'webhook_id', 'table_description': 'A received `X-Shopify-Webhook-Id`: the primary key drops redeliveries.'},
            bases=['Model'],
        ),
    ]
