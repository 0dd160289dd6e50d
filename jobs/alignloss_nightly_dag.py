"""Airflow DAG: the alignloss nightly evaluation of each logical date, through spark-submit.

Exit codes of the job (the task fails on any non-zero): 2 bad config or input schema, 3 reject fraction
exceeded, 4 drift threshold exceeded (the output is published; inspect summary.json's drift block), 1 other.
A re-run of a date replaces its output atomically, so clearing a task is safe.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(
    dag_id="alignloss_nightly_eval",
    start_date=datetime(2026, 11, 1),
    schedule="15 2 * * *",
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["alignloss", "evaluation"],
) as dag:
    SparkSubmitOperator(
        task_id="evaluate",
        conn_id="spark_default",                      # the cluster's master, e.g. yarn
        application="/srv/alignloss/target/alignloss.jar",
        java_class="io.alignloss.cli.Main",
        files="/srv/alignloss/conf/nightly.conf",     # the driver reads the config (cluster deploy mode)
        application_args=["nightly", "--config", "nightly.conf", "--date", "{{ ds }}"],
        conf={"spark.executor.memory": "8g"},
    )
