"""The records app's tables, indexes and search indexes, squashed.

Replaces 0001_initial to 0016_source_stored_suggestions but the editors' groups, so a
database migrated by an earlier release counts it as applied and a new one runs it alone.
What needs every tracker app's tables (the data-version triggers of 0010_table_version, the
editors' groups) is in 0002_squashed_triggers, which runs after meetings and
projects. Database-only operations come after the tables: the full-text indexes (each over
its final columns, as 0007_aliases left them) and the names index with pg_trgm.
Left out, as they only fixed rows an earlier release had stored: 0005_history_baseline,
0007_remove_control_characters, 0007_source_intake_keys' filling of the keys and
0008_citation_fields_list's conversion of the old free-text field.
"""

import cpec_tracker.records.models
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from cpec_tracker.records.fulltext import CreateNativeSearchIndex, CreateSearchIndex


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """Django's checks the database going forwards only: taken back on SQLite, it would
    look for pg_extension there."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    replaces = [('cpec_tracker', '0001_initial'), ('cpec_tracker', '0003_data_version'), ('cpec_tracker', '0004_list_indexes'), ('cpec_tracker', '0005_search_indexes'), ('cpec_tracker', '0003_history'), ('cpec_tracker', '0005_history_baseline'), ('cpec_tracker', '0006_merge_0005_history_baseline_0005_search_indexes'), ('cpec_tracker', '0007_remove_control_characters'), ('cpec_tracker', '0008_citation_supports_citable_rows'), ('cpec_tracker', '0007_aliases'), ('cpec_tracker', '0008_citation_fields_list'), ('cpec_tracker', '0007_source_intake_keys'), ('cpec_tracker', '0009_merge_20261129_0629'), ('cpec_tracker', '0010_names_in_three_languages'), ('cpec_tracker', '0011_names_search_indexes'), ('cpec_tracker', '0010_field_help_texts'), ('cpec_tracker', '0012_merge_0010_field_help_texts_0011_names_search_indexes'), ('cpec_tracker', '0010_organization_wikidata_id'), ('cpec_tracker', '0013_merge_20261129_1019'), ('cpec_tracker', '0014_wikidata_id_help_text'), ('cpec_tracker', '0010_table_version'), ('cpec_tracker', '0015_merge_0010_table_version_0014_wikidata_id_help_text'), ('cpec_tracker', '0016_source_stored_suggestions')]

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('name', models.CharField(help_text='Its full name.', max_length=200)),
                ('short_name', models.CharField(blank=True, help_text='e.g. JWG-ICC', max_length=50)),
                ('kind', models.CharField(choices=[('government', 'Government'), ('ministry', 'Ministry'), ('embassy', 'Embassy'), ('working_group', 'Working group'), ('committee', 'Committee'), ('company', 'Company'), ('other', 'Other')], help_text='What kind of organization it is.', max_length=20)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='Leave empty for bilateral bodies.', max_length=2)),
                ('description', models.TextField(blank=True, help_text='What it is and does, in a few sentences.')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, help_text="The organization it is part of (a working group's committee, a ministry's government).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='cpec_tracker.organization')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Chinese (Simplified)')),
                ('wikidata_id', models.CharField(blank=True, help_text='Its Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('title', models.CharField(help_text="The document's title, as published.", max_length=300)),
                ('publisher', models.CharField(help_text='Who published it: a newspaper, ministry, embassy or company.', max_length=200)),
                ('url', models.URLField(blank=True, help_text='Where it was published online; empty for a document not online.', max_length=500)),
                ('published_on', models.DateField(help_text='The day it was published.')),
                ('language', models.CharField(default='en', help_text='A code: en, ur, zh.', max_length=10)),
                ('kind', models.CharField(choices=[('news_report', 'News report'), ('official_statement', 'Official statement'), ('press_release', 'Press release'), ('report', 'Report'), ('other', 'Other')], help_text='What kind of document it is.', max_length=30)),
                ('text', models.TextField(help_text='The full text as stored; quotes must occur in it.')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('author', models.CharField(blank=True, help_text='Who wrote it, as the source names them.', max_length=200)),
                ('text_digest', models.CharField(blank=True, editable=False, max_length=64)),
                ('url_key', models.CharField(blank=True, editable=False, max_length=500)),
                ('mentioned_records', models.JSONField(blank=True, editable=False, null=True)),
                ('sentence_spans', models.JSONField(blank=True, editable=False, null=True)),
            ],
            options={
                'ordering': ['-published_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField(default=0)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('quote', models.TextField(help_text="Copied verbatim from the source's text.")),
                ('note', models.TextField(blank=True)),
                ('content_type', models.ForeignKey(help_text='The kind of record the quote supports: a record or one of its rows.', limit_choices_to=cpec_tracker.records.models.citable_content_types, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quotes', to='cpec_tracker.source')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('fields', models.JSONField(blank=True, default=list, help_text='The fields of the record the quote supports; empty for the record as a whole.')),
            ],
            options={
                'ordering': ['content_type', 'object_id', 'id'],
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='cpec_tracke_content_b8662f_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('quote', ''), _negated=True), name='citation_quote_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCitation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('object_id', models.PositiveBigIntegerField()),
                ('quote', models.TextField(help_text="Copied verbatim from the source's text.")),
                ('note', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('content_type', models.ForeignKey(blank=True, db_constraint=False, help_text='The kind of record the quote supports: a record or one of its rows.', limit_choices_to=cpec_tracker.records.models.citable_content_types, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.source')),
                ('fields', models.JSONField(blank=True, default=list, help_text='The fields of the record the quote supports; empty for the record as a whole.')),
            ],
            options={
                'verbose_name': 'historical citation',
                'verbose_name_plural': 'historical citations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTheme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('name', models.CharField(help_text="The theme's name, e.g. “Green corridor”.", max_length=100)),
                ('kind', models.CharField(choices=[('corridor', 'CPEC 2.0 corridor'), ('focus_area', 'Focus area'), ('five_es', "Pakistan's five Es"), ('other', 'Other')], help_text='Which framework the theme belongs to.', max_length=20)),
                ('description', models.TextField(blank=True, help_text='What the theme covers.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=100, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=100, verbose_name='Name in Chinese (Simplified)')),
            ],
            options={
                'verbose_name': 'historical theme',
                'verbose_name_plural': 'historical themes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120, unique=True)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the record was last changed (UTC).')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('name', models.CharField(help_text="The theme's name, e.g. “Green corridor”.", max_length=100)),
                ('kind', models.CharField(choices=[('corridor', 'CPEC 2.0 corridor'), ('focus_area', 'Focus area'), ('five_es', "Pakistan's five Es"), ('other', 'Other')], help_text='Which framework the theme belongs to.', max_length=20)),
                ('description', models.TextField(blank=True, help_text='What the theme covers.')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=100, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=100, verbose_name='Name in Chinese (Simplified)')),
            ],
            options={
                'ordering': ['kind', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalOrganization',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('name', models.CharField(help_text='Its full name.', max_length=200)),
                ('short_name', models.CharField(blank=True, help_text='e.g. JWG-ICC', max_length=50)),
                ('kind', models.CharField(choices=[('government', 'Government'), ('ministry', 'Ministry'), ('embassy', 'Embassy'), ('working_group', 'Working group'), ('committee', 'Committee'), ('company', 'Company'), ('other', 'Other')], help_text='What kind of organization it is.', max_length=20)),
                ('country', django_countries.fields.CountryField(blank=True, help_text='Leave empty for bilateral bodies.', max_length=2)),
                ('description', models.TextField(blank=True, help_text='What it is and does, in a few sentences.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text="The organization it is part of (a working group's committee, a ministry's government).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cpec_tracker.organization')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('aliases', models.TextField(blank=True, help_text='Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). Used by search and by the suggestions on sources.')),
                ('name_ur', models.CharField(blank=True, help_text='As written in Urdu by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Urdu')),
                ('name_zh_hans', models.CharField(blank=True, help_text='As written in Chinese (Simplified) by a source you cite for it; leave empty if none gives it.', max_length=200, verbose_name='Name in Chinese (Simplified)')),
                ('wikidata_id', models.CharField(blank=True, help_text='Its Wikidata item, e.g. Q12345; empty if none is known.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata id looks like Q12345.')])),
            ],
            options={
                'verbose_name': 'historical organization',
                'verbose_name_plural': 'historical organizations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='TableVersion',
            fields=[
                ('table', models.CharField(max_length=100, primary_key=True, serialize=False)),
                ('value', models.BigIntegerField(default=0)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False, help_text='Goes up by one on every save.')),
                ('slug', models.SlugField(help_text="The record's address on the site; keep it stable once published.", max_length=120)),
                ('publication_status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='Only published records are shown to visitors and API clients.', max_length=10)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, help_text='When the record was last changed (UTC).')),
                ('title', models.CharField(help_text="The document's title, as published.", max_length=300)),
                ('publisher', models.CharField(help_text='Who published it: a newspaper, ministry, embassy or company.', max_length=200)),
                ('url', models.URLField(blank=True, help_text='Where it was published online; empty for a document not online.', max_length=500)),
                ('published_on', models.DateField(help_text='The day it was published.')),
                ('language', models.CharField(default='en', help_text='A code: en, ur, zh.', max_length=10)),
                ('kind', models.CharField(choices=[('news_report', 'News report'), ('official_statement', 'Official statement'), ('press_release', 'Press release'), ('report', 'Report'), ('other', 'Other')], help_text='What kind of document it is.', max_length=30)),
                ('text', models.TextField(help_text='The full text as stored; quotes must occur in it.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('author', models.CharField(blank=True, help_text='Who wrote it, as the source names them.', max_length=200)),
                ('text_digest', models.CharField(blank=True, editable=False, max_length=64)),
                ('url_key', models.CharField(blank=True, editable=False, max_length=500)),
                ('mentioned_records', models.JSONField(blank=True, editable=False, null=True)),
                ('sentence_spans', models.JSONField(blank=True, editable=False, null=True)),
            ],
            options={
                'verbose_name': 'historical source',
                'verbose_name_plural': 'historical sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['publication_status', 'name'], name='organization_list_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['publication_status', 'kind', 'name'], name='organization_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['publication_status', 'country', 'name'], name='organization_country_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['publication_status', '-published_on', 'title'], name='source_list_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['publication_status', 'kind', '-published_on', 'title'], name='source_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['publication_status', 'title'], name='source_by_title_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(django.db.models.functions.text.Upper('publisher'), name='source_publisher_idx'),
        ),
        migrations.AddIndex(
            model_name='theme',
            index=models.Index(fields=['publication_status', 'kind', 'name'], name='theme_list_idx'),
        ),
        migrations.AddIndex(
            model_name='theme',
            index=models.Index(fields=['publication_status', 'name'], name='theme_by_name_idx'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(condition=models.Q(('url_key', ''), _negated=True), fields=('url_key',), name='source_url_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(condition=models.Q(('text_digest', ''), _negated=True), fields=('text_digest',), name='source_text_digest_unique'),
        ),
        CreateSearchIndex(
            model_name='Source',
            columns=['title', 'publisher', 'text'],
        ),
        CreateSearchIndex(
            model_name='Organization',
            columns=['name', 'short_name', 'aliases', 'description'],
        ),
        CreateSearchIndex(
            model_name='Theme',
            columns=['name', 'description'],
        ),
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        TrigramExtensionOnPostgreSQL(),
        CreateNativeSearchIndex(
            model_name='Organization',
            columns=['name_ur', 'name_zh_hans', 'aliases'],
        ),
        CreateNativeSearchIndex(
            model_name='Theme',
            columns=['name_ur', 'name_zh_hans'],
        ),
    ]
